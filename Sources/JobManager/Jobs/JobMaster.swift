import Foundation
import Logging
import SluiceEngine
import SluiceProtocol
import Synchronization

/// Runs one job: waits for slots, deploys every subtask, follows their states, coordinates its
/// checkpoints and fails over.
///
/// Thread-safe: all state sits behind one lock; deployment, cancellation and restarts run as
/// async tasks that send messages to TaskManagers. Invariants: reports of another attempt are
/// ignored (fencing); a failure while running either restarts the job as attempt + 1 from the
/// latest completed checkpoint (after the restart strategy's back-off) or fails it; the job
/// becomes FINISHED only when every subtask finished (or after stop-with-checkpoint), and a
/// terminal job state never changes again.
public final class JobMaster: Sendable {
    public struct Snapshot: Sendable {
        public var id: String
        public var lineage: String
        public var spec: JobSpec
        public var graph: JobGraph
        public var status: JobStatus
        public var attempt: UInt32
        public var numRestarts: Int
        public var startTime: Int64
        public var endTime: Int64
        public var lastModification: Int64
        public var statusTimestamps: [JobStatus: Int64]
        public var executions: [TaskKey: Execution]
        public var failureCause: String?
        public var restoredFrom: UInt64?
        /// Task failures, newest first (at most `JobMaster.exceptionHistorySize`).
        public var exceptions: [JobException]
    }

    static let exceptionHistorySize = 50

    /// What a job needs from its JobManager.
    public struct Services: Sendable {
        public var membership: Membership
        public var metrics: JobManagerMetrics
        public var highAvailability: HighAvailabilityStore?
        /// `<checkpoints.dir>`; the job's storage is `<checkpoints.dir>/<lineage>`.
        public var checkpointsDirectory: String?
        public var slotWait: Duration

        public init(membership: Membership, metrics: JobManagerMetrics, highAvailability: HighAvailabilityStore? = nil,
                    checkpointsDirectory: String? = nil, slotWait: Duration = .seconds(300)) {
            self.membership = membership
            self.metrics = metrics
            self.highAvailability = highAvailability
            self.checkpointsDirectory = checkpointsDirectory
            self.slotWait = slotWait
        }
    }

    private struct State {
        var status = JobStatus.created
        var attempt: UInt32
        var startTime: Int64
        var endTime: Int64 = -1
        var lastModification: Int64
        var statusTimestamps: [JobStatus: Int64]
        var executions: [TaskKey: Execution] = [:]
        var failureCause: String?
        var exceptions: [JobException] = []
        var restarts: RestartStrategy
        /// When the current attempt had all its tasks running (resets the restart back-off).
        var attemptRunningSince: Int64?
        var restore: RestorePoint?
        /// A final checkpoint completed: the tasks are being cancelled and the job ends FINISHED.
        var stopping = false
    }

    public let id: String
    public let lineage: String
    public let spec: JobSpec
    public let graph: JobGraph
    public let checkpoints: CheckpointCoordinator?
    private let services: Services
    private let checkpointStorage: String
    private let logger: Logger
    private let state: Mutex<State>
    private let submittedAt: Int64

    /// - Parameters:
    ///   - lineage: the id of the job that first ran this pipeline (resumes keep it); defaults to `id`.
    ///   - attempt: the first attempt number (after a resume or a JobManager restart, one more
    ///     than any attempt that ran before, so the new tasks fence the old ones).
    ///   - restore: the checkpoint the first attempt starts from.
    public init(id: String, spec: JobSpec, services: Services, logger: Logger, lineage: String? = nil, attempt: UInt32 = 1,
                restore: RestorePoint? = nil, submittedAt: Int64? = nil) throws {
        self.id = id
        self.lineage = lineage ?? id
        self.spec = spec
        self.graph = JobGraph(spec: spec)
        self.services = services
        var logger = logger
        logger[metadataKey: "job"] = "\(id)"
        self.logger = logger
        let now = Self.now()
        self.submittedAt = submittedAt ?? now
        var initial = State(attempt: attempt, startTime: now, lastModification: now, statusTimestamps: [.created: now],
                            restarts: RestartStrategy(spec.restart))
        initial.restore = restore
        initial.executions = Self.freshExecutions(graph)
        state = Mutex(initial)
        // The coordinator calls back into this job; it exists before `self` does, hence the box.
        let owner = WeakJobMaster()
        if spec.checkpoints.isEnabled, let directory = services.checkpointsDirectory {
            checkpointStorage = "\(directory)/\(self.lineage)"
            checkpoints = try CheckpointCoordinator(
                job: CheckpointJobInfo(jobID: id, lineage: self.lineage, jobName: spec.name, specYAML: spec.source),
                settings: spec.checkpoints, storage: CheckpointStorage(root: checkpointStorage),
                messenger: MembershipCheckpointMessenger(membership: services.membership),
                metrics: services.metrics.checkpoints(job: id), logger: logger,
                canTrigger: { owner.job?.allTasksRunning ?? false },
                onCompleted: { _, path in owner.job?.checkpointCompleted(path: path) })
        } else {
            checkpointStorage = ""
            checkpoints = nil
        }
        services.metrics.jobRegistered(job: id)
        if let restore { checkpoints?.metrics?.restored(from: restore.checkpointID) }
        owner.job = self
    }

    public func snapshot() -> Snapshot {
        state.withLock { state in
            Snapshot(id: id, lineage: lineage, spec: spec, graph: graph, status: state.status, attempt: state.attempt,
                     numRestarts: state.restarts.total, startTime: state.startTime, endTime: state.endTime,
                     lastModification: state.lastModification, statusTimestamps: state.statusTimestamps,
                     executions: state.executions, failureCause: state.failureCause, restoredFrom: state.restore?.checkpointID,
                     exceptions: state.exceptions)
        }
    }

    public var status: JobStatus { state.withLock { $0.status } }

    fileprivate var allTasksRunning: Bool {
        state.withLock { state in
            state.status == .running && !state.stopping && state.executions.values.allSatisfy { $0.state == .running }
        }
    }

    /// Records the job in the HA directory, then runs its first attempt.
    public func start() async {
        persist()
        await runAttempt()
    }

    /// Waits for enough free slots, then deploys every subtask of the current attempt.
    private func runAttempt() async {
        let needed = graph.slotsNeeded
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: services.slotWait)
        var placement: [DeploymentPlanner.Host]?
        var announced = false
        while placement == nil {
            if status.isTerminal || status == .cancelling { return }
            let snapshot = services.membership.snapshot()
            if let assigned = SlotAssignment.assign(slots: needed, freeSlots: snapshot.members.map { ($0.info.id, $0.freeSlots) }) {
                placement = assigned.map { tm in
                    let info = snapshot.members.first { $0.info.id == tm }!.info
                    return DeploymentPlanner.Host(taskManager: tm, host: info.host, dataPort: info.dataPort)
                }
                break
            }
            if clock.now >= deadline {
                fail("not enough task slots: the job needs \(needed), the cluster has \(snapshot.slotsAvailable) free of \(snapshot.slotsTotal) after waiting \(services.slotWait); start more TaskManagers or lower the parallelism")
                return
            }
            if !announced {
                logger.info("waiting for task slots", metadata: ["needed": "\(needed)", "available": "\(snapshot.slotsAvailable)"])
                announced = true
            }
            // Free slots arrive with heartbeats (every second by default); polling a little faster keeps restarts quick.
            try? await Task.sleep(for: .milliseconds(50))
        }
        guard let placement else { return }
        let (attempt, restore) = state.withLock { ($0.attempt, $0.restore) }
        let planner = DeploymentPlanner(jobID: id, spec: spec, graph: graph, attempt: attempt, slots: placement, lineage: lineage,
                                        checkpointStorage: checkpointStorage, restore: restore)
        let deployments = planner.deployments()
        let proceed = state.withLock { state -> Bool in
            guard state.attempt == attempt, state.status == .created || state.status == .restarting else { return false }
            Self.set(&state, .running)
            for deployment in deployments {
                state.executions[deployment.key]?.taskManager = deployment.taskManager
                state.executions[deployment.key]?.state = .scheduled
            }
            return true
        }
        guard proceed else { return }
        var metadata: Logger.Metadata = ["tasks": "\(deployments.count)", "attempt": "\(attempt)", "slots": "\(placement.map(\.taskManager))"]
        if let restore { metadata["restore"] = "\(restore.path)" }
        logger.info("deploying", metadata: metadata)
        checkpoints?.start(attempt: attempt, tasks: Dictionary(uniqueKeysWithValues: deployments.map { ($0.key, $0.taskManager) }),
                           sources: Set(graph.chains.filter { $0.operators.first?.role == .source }.flatMap { chain in
                               (0..<chain.parallelism).map { TaskKey(vertex: chain.id, subtask: $0) }
                           }), restoredFrom: restore?.checkpoint)
        await withTaskGroup(of: Void.self) { group in
            for deployment in deployments {
                group.addTask {
                    do {
                        guard let connection = self.services.membership.connection(to: deployment.taskManager) else {
                            throw JobMasterError.taskManagerGone(deployment.taskManager)
                        }
                        try await connection.send(.with(.deployTask(deployment.message)))
                    } catch {
                        self.taskFailed(deployment.key, attempt: attempt, cause: "deployment to \(deployment.taskManager) failed: \(error)")
                    }
                }
            }
        }
    }

    /// A TaskManager reported a subtask's new state.
    public func taskStateChanged(_ message: _ProtoTaskStateChanged) {
        let key = TaskKey(vertex: message.task.vertexID, subtask: Int(message.task.subtaskIndex))
        var failed = false
        var finalStatus: JobStatus?
        state.withLock { state in
            guard message.task.attempt == state.attempt, var execution = state.executions[key] else { return }
            guard !execution.state.isTerminal else { return }
            execution.state = message.state
            let now = Int64(message.timestampMs)
            if message.state == .running { execution.startTime = now }
            if message.state.isTerminal { execution.endTime = now }
            if message.state == .failed {
                execution.failureCause = message.failureCause
                state.exceptions.insert(JobException(timestamp: now > 0 ? now : Self.now(), task: key, attempt: message.task.attempt,
                                                     taskManager: execution.taskManager, cause: message.failureCause), at: 0)
                if state.exceptions.count > Self.exceptionHistorySize { state.exceptions.removeLast() }
            }
            state.executions[key] = execution
            state.lastModification = Self.now()
            if message.state == .running, state.attemptRunningSince == nil,
               state.executions.values.allSatisfy({ $0.state == .running }) {
                state.attemptRunningSince = Self.now()
            }
            if message.state == .failed, state.status == .running, !state.stopping { failed = true }
            finalStatus = Self.settle(&state)
        }
        if failed { failOver(task: key, attempt: message.task.attempt, cause: "\(key) failed: \(message.failureCause)") }
        if let finalStatus { ended(finalStatus) }
    }

    /// Per-task counters and state from a TaskManager heartbeat; returns false when the task
    /// belongs to an older attempt (the caller cancels it: it is a leftover of a failover). A
    /// state change the heartbeat shows but no report delivered (lost with a connection) is
    /// applied as if reported.
    @discardableResult
    public func update(_ status: _ProtoTaskStatus) -> Bool {
        let key = TaskKey(vertex: status.task.vertexID, subtask: Int(status.task.subtaskIndex))
        let (current, missedChange) = state.withLock { state -> (Bool, Bool) in
            guard status.task.attempt == state.attempt, let execution = state.executions[key] else {
                return (status.task.attempt > state.attempt, false)
            }
            state.executions[key]?.record(status, at: Self.now())
            let advanced = status.state == .running || status.state.isTerminal
            return (true, !execution.state.isTerminal && advanced && execution.state != status.state)
        }
        if missedChange {
            var message = _ProtoTaskStateChanged()
            message.task = status.task
            message.state = status.state
            message.failureCause = status.state == .failed ? "failed (reported by heartbeat; the cause was lost with a connection)" : ""
            message.timestampMs = UInt64(Self.now())
            taskStateChanged(message)
        }
        return current
    }

    /// The TaskManager hosting some of this job's subtasks is gone: they failed with it.
    public func taskManagerLost(_ id: String) {
        let (affected, attempt) = state.withLock { state in
            (state.executions.filter { $0.value.taskManager == id && !$0.value.state.isTerminal }.map(\.key), state.attempt)
        }
        for key in affected { taskFailed(key, attempt: attempt, cause: "TaskManager \(id) was lost") }
    }

    public func acknowledge(_ message: _ProtoAcknowledgeCheckpoint) async {
        await checkpoints?.acknowledge(message)
    }

    public func decline(_ message: _ProtoDeclineCheckpoint) async {
        await checkpoints?.decline(message)
    }

    /// Checkpoint statistics for REST (empty when the job takes no checkpoints).
    public func checkpointStats() -> CheckpointStatsSnapshot {
        checkpoints?.stats() ?? CheckpointStatsSnapshot()
    }

    public func cancel() async {
        let proceed = state.withLock { state -> Bool in
            guard !state.status.isTerminal else { return false }
            Self.set(&state, .cancelling)
            return true
        }
        guard proceed else { return }
        logger.info("cancelling job")
        checkpoints?.stop(reason: "job cancelled")
        await cancelTasks(reason: "job cancelled")
        settleNow()
    }

    /// Stop-with-checkpoint: takes a final checkpoint, then stops every task; the job ends
    /// FINISHED and can be resumed from the returned checkpoint.
    public func stop() async throws -> CompletedCheckpoint {
        guard let checkpoints else { throw JobMasterError.checkpointingDisabled }
        guard status == .running else { throw JobMasterError.notRunning(status) }
        let completed: CompletedCheckpoint
        do {
            completed = try await checkpoints.triggerFinal()
        } catch {
            throw JobMasterError.finalCheckpointFailed("\(error)")
        }
        let proceed = state.withLock { state -> Bool in
            guard state.status == .running else { return false }
            state.stopping = true
            return true
        }
        guard proceed else { throw JobMasterError.notRunning(status) }
        logger.info("stopping after the final checkpoint", metadata: ["checkpoint": "\(completed.id)", "path": "\(completed.externalPath)"])
        checkpoints.stop(reason: "job stopped")
        await cancelTasks(reason: "job stopped with checkpoint \(completed.id)")
        settleNow()
        return completed
    }

    // MARK: Failover

    /// Restarts the job from its latest completed checkpoint, or fails it when the restart
    /// strategy gives up. `task` (of `attempt`) is the subtask whose failure caused it.
    private func failOver(task: TaskKey, attempt: UInt32, cause: String) {
        enum Decision { case ignore, fail, restart(Duration) }
        let decision = state.withLock { state -> Decision in
            guard state.status == .running, !state.stopping else { return .ignore }
            state.failureCause = cause
            guard let backoff = state.restarts.failure(now: Self.now(), runningSince: state.attemptRunningSince) else {
                Self.set(&state, .failing)
                return .fail
            }
            Self.set(&state, .restarting)
            return .restart(backoff)
        }
        switch decision {
        case .ignore:
            return
        case .fail:
            checkpoints?.stop(reason: "job failing: \(cause)")
            var metadata = TaskLogMetadata.of(job: id, vertex: task.vertex, subtask: task.subtask, attempt: attempt)
            metadata["cause"] = "\(cause)"
            logger.error("task failed and the restart strategy gave up; failing the job", metadata: metadata)
            Task {
                await cancelTasks(reason: "another task of the job failed")
                settleNow()
            }
        case .restart(let delay):
            checkpoints?.stop(reason: "job failing over: \(cause)")
            services.metrics.jobRestarted(job: id)
            var metadata = TaskLogMetadata.of(job: id, vertex: task.vertex, subtask: task.subtask, attempt: attempt)
            metadata["cause"] = "\(cause)"
            metadata["backoff"] = "\(delay)"
            logger.warning("task failed; restarting the job", metadata: metadata)
            Task { await restart(after: delay) }
        }
    }

    private func restart(after delay: Duration) async {
        let attempt = state.withLock { $0.attempt }
        await cancelTasks(reason: "the job is restarting")
        await waitForTasksToEnd(attempt: attempt, timeout: .seconds(3))
        try? await Task.sleep(for: delay)
        let latest = checkpoints?.latestCompleted.map { RestorePoint($0) }
        let proceed = state.withLock { state -> Bool in
            guard state.status == .restarting, state.attempt == attempt else { return false }
            state.attempt += 1
            state.executions = Self.freshExecutions(graph)
            state.attemptRunningSince = nil
            if let latest { state.restore = latest }
            return true
        }
        guard proceed else { return }
        persist()
        await runAttempt()
    }

    /// Waits until every task of `attempt` ended (cancellation acknowledged, or its TaskManager
    /// gone), at most `timeout`: a TaskManager that does not answer must not hold the restart
    /// up; fencing keeps its leftovers harmless.
    private func waitForTasksToEnd(attempt: UInt32, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let done = state.withLock { state in
                state.attempt != attempt || state.executions.values.allSatisfy { $0.state.isTerminal }
            }
            if done { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        logger.warning("some tasks did not confirm cancellation in time; restarting anyway (they are fenced)")
    }

    fileprivate func checkpointCompleted(path: String) {
        persist(latestCheckpoint: path)
    }

    // MARK: Tasks

    private func cancelTasks(reason: String) async {
        let (targets, attempt) = state.withLock { state -> ([(TaskKey, String?)], UInt32) in
            let targets = state.executions.filter { !$0.value.state.isTerminal }.map { ($0.key, $0.value.taskManager) }
            for (key, tm) in targets where tm == nil || services.membership.connection(to: tm!) == nil {
                // Never deployed, or its TaskManager is gone: nothing left to stop.
                state.executions[key]?.state = .canceled
            }
            return (targets, state.attempt)
        }
        for (key, tm) in targets {
            guard let tm, let connection = services.membership.connection(to: tm) else { continue }
            var message = _ProtoCancelTask()
            message.task.jobID = id
            message.task.attempt = attempt
            message.task.vertexID = key.vertex
            message.task.subtaskIndex = UInt32(key.subtask)
            message.reason = reason
            try? await connection.send(.with(.cancelTask(message)))
        }
    }

    private func taskFailed(_ key: TaskKey, attempt: UInt32, cause: String) {
        var message = _ProtoTaskStateChanged()
        message.task.jobID = id
        message.task.attempt = attempt
        message.task.vertexID = key.vertex
        message.task.subtaskIndex = UInt32(key.subtask)
        message.state = .failed
        message.failureCause = cause
        message.timestampMs = UInt64(Self.now())
        taskStateChanged(message)
    }

    private func fail(_ cause: String) {
        let failed = state.withLock { state -> Bool in
            guard !state.status.isTerminal else { return false }
            state.failureCause = cause
            for key in state.executions.keys where !state.executions[key]!.state.isTerminal { state.executions[key]!.state = .canceled }
            Self.set(&state, .failed)
            return true
        }
        if failed { ended(.failed) }
    }

    private func settleNow() {
        if let final = state.withLock({ Self.settle(&$0) }) { ended(final) }
    }

    /// The job reached `status` (terminal): stop checkpointing, forget it in the HA directory.
    private func ended(_ status: JobStatus) {
        checkpoints?.stop(reason: "job \(status.rawValue.lowercased())")
        services.highAvailability?.remove(id)
        if status == .failed, let cause = state.withLock({ $0.failureCause }) {
            logger.error("job failed", metadata: ["cause": "\(cause)"])
        } else {
            logger.info("job \(status.rawValue.lowercased())")
        }
    }

    /// Writes the job's HA record (spec, attempt, latest checkpoint) so a restarted JobManager can resume it.
    private func persist(latestCheckpoint: String? = nil) {
        guard let store = services.highAvailability else { return }
        let (attempt, terminal, restorePath) = state.withLock { ($0.attempt, $0.status.isTerminal, $0.restore?.path) }
        guard !terminal else { return }
        let record = JobRecord(id: id, lineage: lineage, name: spec.name, specYAML: spec.source, parallelism: spec.parallelism,
                               attempt: attempt, submittedAt: submittedAt,
                               latestCheckpoint: latestCheckpoint ?? checkpoints?.latestCompleted?.externalPath ?? restorePath)
        do {
            try store.save(record)
        } catch {
            logger.error("cannot write the job's HA record; a JobManager restart would lose it", metadata: ["error": "\(error)"])
        }
    }

    /// Moves the job to its final state once every task is terminal; returns it if it moved.
    private static func settle(_ state: inout State) -> JobStatus? {
        guard !state.status.isTerminal, state.status != .restarting,
              state.executions.values.allSatisfy({ $0.state.isTerminal }) else { return nil }
        let final: JobStatus
        switch state.status {
        case .failing: final = .failed
        case .cancelling: final = .canceled
        default:
            final = state.stopping || state.executions.values.allSatisfy { $0.state == .finished } ? .finished : .failed
        }
        set(&state, final)
        return final
    }

    private static func set(_ state: inout State, _ status: JobStatus) {
        guard !state.status.isTerminal else { return }
        let now = now()
        state.status = status
        state.statusTimestamps[status] = now
        state.lastModification = now
        if status.isTerminal { state.endTime = now }
    }

    private static func freshExecutions(_ graph: JobGraph) -> [TaskKey: Execution] {
        var executions: [TaskKey: Execution] = [:]
        for chain in graph.chains {
            for subtask in 0..<chain.parallelism { executions[TaskKey(vertex: chain.id, subtask: subtask)] = Execution() }
        }
        return executions
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// Why a job operation failed.
public enum JobMasterError: Error, CustomStringConvertible {
    case taskManagerGone(String)
    case checkpointingDisabled
    case notRunning(JobStatus)
    case finalCheckpointFailed(String)

    public var description: String {
        switch self {
        case .taskManagerGone(let id): return "TaskManager \(id) is no longer registered"
        case .checkpointingDisabled:
            return "the job takes no checkpoints, so it cannot be stopped with one; set checkpoints.interval-ms in its spec, or cancel it"
        case .notRunning(let status): return "the job is \(status.rawValue), not RUNNING"
        case .finalCheckpointFailed(let why): return "the final checkpoint failed (\(why)); the job keeps running"
        }
    }
}

/// Lets the checkpoint coordinator, created inside `JobMaster.init`, reach its job without
/// keeping it alive. Written once, right after `init`, before the coordinator can call back.
private final class WeakJobMaster: @unchecked Sendable {  // set once before any concurrent read
    weak var job: JobMaster?
}
