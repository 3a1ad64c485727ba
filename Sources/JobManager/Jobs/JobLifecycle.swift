import SluiceEngine
import SluiceProtocol

/// The lifecycle decisions of one job as a value: which status it is in, which attempt runs,
/// what each subtask does, and what follows from a task report, a lost TaskManager, a cancel,
/// a stop or the restart back-off. Every event is a `mutating` method that returns what the
/// caller must do (`Action`s, or whether to proceed); the caller — `JobMaster`, behind its lock —
/// performs them (messages to TaskManagers, checkpoint coordinator calls, timers). No I/O and no
/// clock here (`now` is passed in), so it is tested without sockets.
///
/// Invariants: reports of another attempt are ignored (fencing); a failure while running either
/// restarts the job as attempt + 1 from the latest completed checkpoint (after the restart
/// strategy's back-off) or fails it; the job becomes FINISHED only when every subtask finished
/// (or after a stop with a final checkpoint); a terminal status never changes again.
struct JobLifecycle: Sendable {
    /// What the caller does after an event.
    enum Action: Sendable, Equatable {
        /// A running attempt lost a task: stop checkpointing, cancel the attempt's tasks, and
        /// restart after `backoff` (`restartDue`).
        case restart(after: Duration, cause: String, task: TaskKey?, attempt: UInt32)
        /// The restart strategy gave up: stop checkpointing, cancel the tasks; the job fails
        /// once they ended.
        case fail(cause: String, task: TaskKey?, attempt: UInt32)
        /// The job reached a terminal status.
        case ended(JobStatus)
    }

    static let exceptionHistorySize = 50

    let graph: JobGraph
    private(set) var status = JobStatus.created
    private(set) var attempt: UInt32
    private(set) var startTime: Int64
    private(set) var endTime: Int64 = -1
    private(set) var lastModification: Int64
    private(set) var statusTimestamps: [JobStatus: Int64]
    private(set) var executions: [TaskKey: Execution] = [:]
    /// Why the job last failed over or failed: the root cause, not a follow-on (see `taskStateChanged`).
    private(set) var failureCause: String?
    /// `failureCause` came from a follow-on failure (a task whose channel's peer went away);
    /// a root failure of the same attempt reported later replaces it.
    private(set) var failureIsFollowOn = false
    private(set) var exceptions: [JobException] = []
    private(set) var restarts: RestartStrategy
    /// When the current attempt had all its tasks running (resets the restart back-off).
    private(set) var attemptRunningSince: Int64?
    private(set) var restore: RestorePoint?
    /// A final checkpoint completed: the tasks are being cancelled and the job ends FINISHED.
    private(set) var stopping = false

    init(graph: JobGraph, restart: RestartSettings, attempt: UInt32, restore: RestorePoint?, now: Int64) {
        self.graph = graph
        self.attempt = attempt
        startTime = now
        lastModification = now
        statusTimestamps = [.created: now]
        restarts = RestartStrategy(restart)
        self.restore = restore
        executions = Self.freshExecutions(graph)
    }

    /// Every subtask of the current attempt runs (checkpoints may be triggered).
    var allTasksRunning: Bool {
        status == .running && !stopping && executions.values.allSatisfy { $0.state == .running }
    }

    // MARK: Deployment

    /// The placement of `attempt` is ready: the job runs. False when the attempt is stale or the
    /// job is no longer waiting to deploy (cancelled meanwhile).
    mutating func deploying(attempt: UInt32, on placement: [(TaskKey, String)], now: Int64) -> Bool {
        guard self.attempt == attempt, status == .created || status == .restarting else { return false }
        set(.running, now: now)
        for (key, taskManager) in placement {
            executions[key]?.taskManager = taskManager
            executions[key]?.state = .scheduled
        }
        return true
    }

    // MARK: Task reports

    /// A subtask of `attempt` reached `state` (from its TaskManager, or derived from a heartbeat,
    /// a lost TaskManager or a failed deployment).
    ///
    /// `followOn`: the task failed only because a neighbour did (its channel's peer went away).
    /// Neighbours' reports race over different TaskManagers, so the follow-on may arrive first;
    /// the job still names the root failure of the attempt as its cause when it arrives.
    mutating func taskStateChanged(_ key: TaskKey, attempt: UInt32, to state: _ProtoExecutionState, cause: String,
                                   followOn: Bool = false, finalCounters: _ProtoTaskStatus? = nil,
                                   at timestamp: Int64, now: Int64) -> [Action] {
        guard attempt == self.attempt, var execution = executions[key], !execution.state.isTerminal else { return [] }
        if let finalCounters, state.isTerminal { execution.record(finalCounters, at: now) }
        execution.state = state
        if state == .running { execution.startTime = timestamp }
        if state.isTerminal { execution.endTime = timestamp }
        if state == .failed {
            execution.failureCause = cause
            exceptions.insert(JobException(timestamp: timestamp > 0 ? timestamp : now, task: key, attempt: attempt,
                                           taskManager: execution.taskManager, cause: cause, followOn: followOn), at: 0)
            if exceptions.count > Self.exceptionHistorySize { exceptions.removeLast() }
        }
        executions[key] = execution
        lastModification = now
        if state == .running, attemptRunningSince == nil, executions.values.allSatisfy({ $0.state == .running }) {
            attemptRunningSince = now
        }
        var actions: [Action] = []
        if state == .failed, status == .running, !stopping {
            actions += failOver(task: key, attempt: attempt, cause: "\(key) failed: \(cause)", now: now)
            failureIsFollowOn = followOn
        } else if state == .failed, failureIsFollowOn, !followOn, status == .restarting || status == .failing {
            failureCause = "\(key) failed: \(cause)"
            failureIsFollowOn = false
        }
        if let final = settle(now: now) { actions.append(.ended(final)) }
        return actions
    }

    /// A heartbeat's counters for a subtask. Returns whether the task belongs to the current (or
    /// a newer) attempt — the caller cancels leftovers of older ones — and whether the heartbeat
    /// shows a state change no report delivered (lost with a connection), to apply as reported.
    mutating func heartbeat(_ status: _ProtoTaskStatus, now: Int64) -> (current: Bool, missedChange: Bool) {
        let key = TaskKey(vertex: status.task.vertexID, subtask: Int(status.task.subtaskIndex))
        guard status.task.attempt == attempt, let execution = executions[key] else { return (status.task.attempt > attempt, false) }
        executions[key]?.record(status, at: now)
        let advanced = status.state == .running || status.state.isTerminal
        return (true, !execution.state.isTerminal && advanced && execution.state != status.state)
    }

    /// The live subtasks a lost TaskManager hosted; each is then reported failed.
    func tasks(on taskManager: String) -> [TaskKey] {
        executions.filter { $0.value.taskManager == taskManager && !$0.value.state.isTerminal }.map(\.key)
    }

    // MARK: Failover

    /// Checkpoints kept failing (more in a row than `checkpoints.tolerable-failures`): the job
    /// fails over as after a task failure, with `cause` recorded as an exception.
    mutating func checkpointsFailed(_ cause: String, now: Int64) -> [Action] {
        guard status == .running, !stopping else { return [] }
        exceptions.insert(JobException(timestamp: now, task: nil, attempt: attempt, taskManager: nil, cause: cause), at: 0)
        if exceptions.count > Self.exceptionHistorySize { exceptions.removeLast() }
        return failOver(task: nil, attempt: attempt, cause: cause, now: now)
    }

    private mutating func failOver(task: TaskKey?, attempt: UInt32, cause: String, now: Int64) -> [Action] {
        failureCause = cause
        failureIsFollowOn = false
        guard let backoff = restarts.failure(now: now, runningSince: attemptRunningSince) else {
            set(.failing, now: now)
            return [.fail(cause: cause, task: task, attempt: attempt)]
        }
        set(.restarting, now: now)
        return [.restart(after: backoff, cause: cause, task: task, attempt: attempt)]
    }

    /// The back-off of a restart of `attempt` passed (its tasks were cancelled): start the next
    /// attempt from `latest` (the latest completed checkpoint, if any). False when the job was
    /// cancelled or restarted otherwise meanwhile.
    mutating func restartDue(attempt: UInt32, latest: RestorePoint?) -> Bool {
        guard status == .restarting, self.attempt == attempt else { return false }
        self.attempt += 1
        executions = Self.freshExecutions(graph)
        attemptRunningSince = nil
        if let latest { restore = latest }
        return true
    }

    /// Whether every task of `attempt` ended (or another attempt runs).
    func tasksEnded(attempt: UInt32) -> Bool {
        self.attempt != attempt || executions.values.allSatisfy { $0.state.isTerminal }
    }

    // MARK: Cancel, stop, fail

    /// Cancel asked: false when the job already ended.
    mutating func cancel(now: Int64) -> Bool {
        guard !status.isTerminal else { return false }
        set(.cancelling, now: now)
        return true
    }

    /// The final checkpoint of a stop completed: the job ends FINISHED once its tasks stopped.
    /// False when it no longer runs.
    mutating func stopAfterFinalCheckpoint() -> Bool {
        guard status == .running else { return false }
        stopping = true
        return true
    }

    /// The tasks still to cancel (and their TaskManagers), marking those that cannot be reached
    /// (never deployed, or `reachable` says their TaskManager is gone) cancelled at once.
    mutating func tasksToCancel(reachable: (String) -> Bool) -> [(TaskKey, String)] {
        var targets: [(TaskKey, String)] = []
        for (key, execution) in executions where !execution.state.isTerminal {
            if let taskManager = execution.taskManager, reachable(taskManager) {
                targets.append((key, taskManager))
            } else {
                executions[key]?.state = .canceled
            }
        }
        return targets
    }

    /// The job cannot run at all (no slots): FAILED at once. False when it already ended.
    mutating func fail(_ cause: String, now: Int64) -> Bool {
        guard !status.isTerminal else { return false }
        failureCause = cause
        failureIsFollowOn = false
        for key in executions.keys where !executions[key]!.state.isTerminal { executions[key]!.state = .canceled }
        set(.failed, now: now)
        return true
    }

    /// Moves the job to its final status once every task is terminal; returns it if it moved.
    mutating func settle(now: Int64) -> JobStatus? {
        guard !status.isTerminal, status != .restarting, executions.values.allSatisfy({ $0.state.isTerminal }) else { return nil }
        let final: JobStatus
        switch status {
        case .failing: final = .failed
        case .cancelling: final = .canceled
        default: final = stopping || executions.values.allSatisfy { $0.state == .finished } ? .finished : .failed
        }
        set(final, now: now)
        return final
    }

    private mutating func set(_ status: JobStatus, now: Int64) {
        guard !self.status.isTerminal else { return }
        self.status = status
        statusTimestamps[status] = now
        lastModification = now
        if status.isTerminal { endTime = now }
    }

    static func freshExecutions(_ graph: JobGraph) -> [TaskKey: Execution] {
        var executions: [TaskKey: Execution] = [:]
        for chain in graph.chains {
            for subtask in 0..<chain.parallelism { executions[TaskKey(vertex: chain.id, subtask: subtask)] = Execution() }
        }
        return executions
    }
}
