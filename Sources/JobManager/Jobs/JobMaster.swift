import Foundation
import Logging
import SluiceEngine
import SluiceProtocol
import Synchronization

/// Runs one job: waits for slots, deploys every subtask, follows their states, coordinates its
/// checkpoints and fails over.
///
/// Thread-safe: the decisions are a `JobLifecycle` value behind one lock, which returns what to do;
/// this shell does it — deployment, cancellation and restarts run as async tasks that send
/// messages to TaskManagers. The invariants (fencing of older attempts, restart or fail after a
/// failure, FINISHED only when every subtask finished or after a stop, terminal is final) are
/// `JobLifecycle`'s.
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

    static let exceptionHistorySize = JobLifecycle.exceptionHistorySize

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

    public let id: String
    public let lineage: String
    public let spec: JobSpec
    public let graph: JobGraph
    public let checkpoints: CheckpointCoordinator?
    private let services: Services
    private let checkpointStorage: String
    private let logger: Logger
    private let state: Mutex<JobLifecycle>
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
        state = Mutex(JobLifecycle(graph: graph, restart: spec.restart, attempt: attempt, restore: restore, now: now))
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
                onCompleted: { _, path in owner.job?.checkpointCompleted(path: path) },
                onTooManyFailures: { cause in owner.job?.checkpointsFailed(cause) })
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

    fileprivate var allTasksRunning: Bool { state.withLock { $0.allTasksRunning } }

    /// Records the job in the HA directory, then runs its first attempt.
    public func start() async {
        persist()
        await runAttempt()
    }

    /// Where each reserved slot's TaskManager is; nil if one vanished meanwhile (retry).
    private static func hosts(_ assigned: [String], in snapshot: Membership.Snapshot) -> [DeploymentPlanner.Host]? {
        var hosts: [DeploymentPlanner.Host] = []
        for taskManager in assigned {
            guard let info = snapshot.members.first(where: { $0.info.id == taskManager })?.info else { return nil }
            hosts.append(DeploymentPlanner.Host(taskManager: taskManager, host: info.host, dataPort: info.dataPort))
        }
        return hosts
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
            // The JobManager's own slot accounting: taken now, atomically, not when a heartbeat says so.
            if let (assigned, placed) = services.membership.reserve(job: id, slots: needed),
               let hosts = Self.hosts(assigned, in: placed) {
                placement = hosts
                break
            }
            let snapshot = services.membership.snapshot()
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
        let placed = deployments.map { ($0.key, $0.taskManager) }
        let proceed = state.withLock { $0.deploying(attempt: attempt, on: placed, now: Self.now()) }
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
        let actions = state.withLock {
            $0.taskStateChanged(key, attempt: message.task.attempt, to: message.state, cause: message.failureCause,
                                followOn: message.followOn, finalCounters: message.hasFinalCounters ? message.finalCounters : nil,
                                at: Int64(message.timestampMs), now: Self.now())
        }
        perform(actions)
    }

    /// Per-task counters and state from a TaskManager heartbeat; returns false when the task
    /// belongs to an older attempt (the caller cancels it: it is a leftover of a failover). A
    /// state change the heartbeat shows but no report delivered (lost with a connection) is
    /// applied as if reported.
    @discardableResult
    public func update(_ status: _ProtoTaskStatus) -> Bool {
        let (current, missedChange) = state.withLock { $0.heartbeat(status, now: Self.now()) }
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
        let (affected, attempt) = state.withLock { ($0.tasks(on: id), $0.attempt) }
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
        guard state.withLock({ $0.cancel(now: Self.now()) }) else { return }
        logger.info("cancelling job")
        checkpoints?.stop(reason: "job cancelled")
        await cancelTasks(reason: "job cancelled")
        settleNow()
    }

    /// Stop-with-checkpoint: takes a final checkpoint, then stops every task; the job ends
    /// FINISHED and can be resumed from the returned checkpoint.
    ///
    /// With `drain` (Flink's `stop --drain`) the sources first emit the maximum watermark, so
    /// every event-time timer fires and what it emits is committed with the final checkpoint;
    /// the sources read nothing after its barrier. A drain whose checkpoint fails cannot simply
    /// go on (its timers already fired), so the job fails over to its latest checkpoint.
    public func stop(drain: Bool = false) async throws(JobMasterError) -> CompletedCheckpoint {
        guard let checkpoints else { throw .checkpointingDisabled }
        guard status == .running else { throw .notRunning(status) }
        logger.info(drain ? "stopping with a drain: final watermark, then the final checkpoint" : "stopping with a final checkpoint")
        let completed: CompletedCheckpoint
        do {
            completed = try await checkpoints.triggerFinal(drain: drain)
        } catch {
            guard drain, status == .running else { throw .finalCheckpointFailed("\(error)") }
            checkpointsFailed("stop --drain failed: its final checkpoint did not complete (\(error)); the sources had already "
                              + "emitted the final watermark, so the job restarts from its latest checkpoint")
            throw .drainFailed("\(error)")
        }
        guard state.withLock({ $0.stopAfterFinalCheckpoint() }) else { throw .notRunning(status) }
        logger.info("stopping after the final checkpoint", metadata: ["checkpoint": "\(completed.id)", "path": "\(completed.externalPath)"])
        checkpoints.stop(reason: "job stopped")
        await cancelTasks(reason: "job stopped with checkpoint \(completed.id)")
        settleNow()
        return completed
    }

    // MARK: Failover

    /// Does what the lifecycle decided: restart from the latest completed checkpoint after the
    /// back-off, fail (once the tasks were cancelled), or record the end of the job.
    private func perform(_ actions: [JobLifecycle.Action]) {
        for action in actions {
            switch action {
            case .fail(let cause, let task, let attempt):
                checkpoints?.stop(reason: "job failing: \(cause)")
                var metadata = Self.metadata(job: id, task: task, attempt: attempt)
                metadata["cause"] = "\(cause)"
                logger.error("\(task == nil ? "checkpoints kept failing" : "task failed") and the restart strategy gave up; failing the job",
                             metadata: metadata)
                Task {
                    await cancelTasks(reason: "another task of the job failed")
                    settleNow()
                }
            case .restart(let delay, let cause, let task, let attempt):
                checkpoints?.stop(reason: "job failing over: \(cause)")
                services.metrics.jobRestarted(job: id)
                var metadata = Self.metadata(job: id, task: task, attempt: attempt)
                metadata["cause"] = "\(cause)"
                metadata["backoff"] = "\(delay)"
                logger.warning("\(task == nil ? "checkpoints kept failing" : "task failed"); restarting the job", metadata: metadata)
                Task { await restart(after: delay, attempt: attempt) }
            case .ended(let status):
                ended(status)
            }
        }
    }

    private static func metadata(job: String, task: TaskKey?, attempt: UInt32) -> Logger.Metadata {
        guard let task else { return ["job": "\(job)", "attempt": "\(attempt)"] }
        return TaskLogMetadata.of(job: job, vertex: task.vertex, subtask: task.subtask, attempt: attempt)
    }

    /// The checkpoint coordinator saw more failed checkpoints in a row than tolerated.
    fileprivate func checkpointsFailed(_ cause: String) {
        perform(state.withLock { $0.checkpointsFailed(cause, now: Self.now()) })
    }

    private func restart(after delay: Duration, attempt: UInt32) async {
        await cancelTasks(reason: "the job is restarting")
        await waitForTasksToEnd(attempt: attempt, timeout: .seconds(3))
        try? await Task.sleep(for: delay)
        let latest = checkpoints?.latestCompleted.map { RestorePoint($0) }
        guard state.withLock({ $0.restartDue(attempt: attempt, latest: latest) }) else { return }
        persist()
        await runAttempt()
    }

    /// Waits until every task of `attempt` ended (cancellation acknowledged, or its TaskManager
    /// gone), at most `timeout`: a TaskManager that does not answer must not hold the restart
    /// up; fencing keeps its leftovers harmless.
    private func waitForTasksToEnd(attempt: UInt32, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let done = state.withLock { $0.tasksEnded(attempt: attempt) }
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
        let membership = services.membership
        let (targets, attempt) = state.withLock { state in
            // Never deployed, or its TaskManager is gone: nothing left to stop, cancelled at once.
            (state.tasksToCancel { membership.connection(to: $0) != nil }, state.attempt)
        }
        for (key, tm) in targets {
            guard let connection = services.membership.connection(to: tm) else { continue }
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
        if state.withLock({ $0.fail(cause, now: Self.now()) }) { ended(.failed) }
    }

    private func settleNow() {
        if let final = state.withLock({ $0.settle(now: Self.now()) }) { ended(final) }
    }

    /// The job reached `status` (terminal): stop checkpointing, forget it in the HA directory.
    private func ended(_ status: JobStatus) {
        services.membership.release(job: id)
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

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// Why a job operation failed.
/// Lets the checkpoint coordinator, created inside `JobMaster.init`, reach its job without
/// keeping it alive. Written once, right after `init`, before the coordinator can call back.
private final class WeakJobMaster: @unchecked Sendable {  // set once before any concurrent read
    weak var job: JobMaster?
}
