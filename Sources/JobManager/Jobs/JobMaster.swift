import Foundation
import Logging
import SluiceOperators
import SluiceProtocol
import Synchronization

/// Runs one job: waits for slots, deploys every subtask, follows their states, and decides the
/// job's state from them.
///
/// Thread-safe: all state sits behind one lock; deployment and cancellation run as async
/// tasks that send messages to TaskManagers. Invariants: task reports of another attempt are
/// ignored (fencing); the job becomes FINISHED only when every subtask finished, and a
/// terminal job state never changes again.
public final class JobMaster: Sendable {
    public struct Snapshot: Sendable {
        public var id: String
        public var spec: JobSpec
        public var graph: JobGraph
        public var status: JobStatus
        public var attempt: UInt32
        public var startTime: Int64
        public var endTime: Int64
        public var lastModification: Int64
        public var statusTimestamps: [JobStatus: Int64]
        public var executions: [TaskKey: Execution]
        public var failureCause: String?
    }

    private struct State {
        var status = JobStatus.created
        var attempt: UInt32 = 1
        var startTime: Int64
        var endTime: Int64 = -1
        var lastModification: Int64
        var statusTimestamps: [JobStatus: Int64]
        var executions: [TaskKey: Execution] = [:]
        var failureCause: String?
    }

    public let id: String
    public let spec: JobSpec
    public let graph: JobGraph
    private let membership: Membership
    private let logger: Logger
    private let state: Mutex<State>
    private let slotWait: Duration

    public init(id: String, spec: JobSpec, membership: Membership, logger: Logger, slotWait: Duration = .seconds(300)) {
        self.id = id
        self.spec = spec
        self.graph = JobGraph(spec: spec)
        self.membership = membership
        self.slotWait = slotWait
        var logger = logger
        logger[metadataKey: "job"] = "\(id)"
        self.logger = logger
        let now = Self.now()
        var initial = State(startTime: now, lastModification: now, statusTimestamps: [.created: now])
        for chain in graph.chains {
            for subtask in 0..<chain.parallelism { initial.executions[TaskKey(vertex: chain.id, subtask: subtask)] = Execution() }
        }
        state = Mutex(initial)
    }

    public func snapshot() -> Snapshot {
        state.withLock { state in
            Snapshot(id: id, spec: spec, graph: graph, status: state.status, attempt: state.attempt, startTime: state.startTime,
                     endTime: state.endTime, lastModification: state.lastModification, statusTimestamps: state.statusTimestamps,
                     executions: state.executions, failureCause: state.failureCause)
        }
    }

    public var status: JobStatus { state.withLock { $0.status } }

    /// Waits for enough free slots, then deploys every subtask.
    public func start() async {
        let needed = graph.slotsNeeded
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: slotWait)
        var placement: [DeploymentPlanner.Host]?
        var announced = false
        while placement == nil {
            if status.isTerminal { return }
            let snapshot = membership.snapshot()
            if let assigned = SlotAssignment.assign(slots: needed, freeSlots: snapshot.members.map { ($0.info.id, $0.freeSlots) }) {
                placement = assigned.map { tm in
                    let info = snapshot.members.first { $0.info.id == tm }!.info
                    return DeploymentPlanner.Host(taskManager: tm, host: info.host, dataPort: info.dataPort)
                }
                break
            }
            if clock.now >= deadline {
                fail("not enough task slots: the job needs \(needed), the cluster has \(snapshot.slotsAvailable) free of \(snapshot.slotsTotal) after waiting \(slotWait); start more TaskManagers or lower the parallelism")
                return
            }
            if !announced {
                logger.info("waiting for task slots", metadata: ["needed": "\(needed)", "available": "\(snapshot.slotsAvailable)"])
                announced = true
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        guard let placement else { return }
        let attempt = state.withLock { $0.attempt }
        let planner = DeploymentPlanner(jobID: id, spec: spec, graph: graph, attempt: attempt, slots: placement)
        let deployments = planner.deployments()
        transition(to: .running)
        logger.info("deploying", metadata: ["tasks": "\(deployments.count)", "slots": "\(placement.map(\.taskManager))"])
        await withTaskGroup(of: Void.self) { group in
            for deployment in deployments {
                state.withLock { state in
                    state.executions[deployment.key]?.taskManager = deployment.taskManager
                    state.executions[deployment.key]?.state = .scheduled
                }
                group.addTask {
                    do {
                        guard let connection = self.membership.connection(to: deployment.taskManager) else {
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
        var cancelOthers = false
        var finalStatus: JobStatus?
        state.withLock { state in
            guard message.task.attempt == state.attempt, var execution = state.executions[key] else { return }
            guard !execution.state.isTerminal else { return }
            execution.state = message.state
            let now = Int64(message.timestampMs)
            if message.state == .running { execution.startTime = now }
            if message.state.isTerminal { execution.endTime = now }
            if message.state == .failed { execution.failureCause = message.failureCause }
            state.executions[key] = execution
            state.lastModification = Self.now()
            switch (state.status, message.state) {
            case (.running, .failed):
                state.failureCause = "\(key) failed: \(message.failureCause)"
                Self.set(&state, .failing)
                cancelOthers = true
            default:
                break
            }
            finalStatus = Self.settle(&state)
        }
        if let finalStatus { logger.info("job \(finalStatus.rawValue.lowercased())") }
        if cancelOthers {
            logger.warning("task failed; cancelling the job's other tasks", metadata: ["task": "\(key)", "cause": "\(message.failureCause)"])
            Task { await self.cancelTasks(reason: "another task of the job failed") }
        }
    }

    /// Per-task counters from a TaskManager heartbeat.
    public func update(_ status: _ProtoTaskStatus) {
        let key = TaskKey(vertex: status.task.vertexID, subtask: Int(status.task.subtaskIndex))
        state.withLock { state in
            guard status.task.attempt == state.attempt, state.executions[key] != nil else { return }
            state.executions[key]!.recordsIn = status.recordsIn
            state.executions[key]!.recordsOut = status.recordsOut
            state.executions[key]!.bytesIn = status.bytesIn
            state.executions[key]!.bytesOut = status.bytesOut
            state.executions[key]!.watermark = status.watermarkMs
        }
    }

    /// The TaskManager hosting some of this job's subtasks is gone: they failed with it.
    public func taskManagerLost(_ id: String) {
        let affected = state.withLock { state in
            state.executions.filter { $0.value.taskManager == id && !$0.value.state.isTerminal }.map(\.key)
        }
        let attempt = state.withLock { $0.attempt }
        for key in affected { taskFailed(key, attempt: attempt, cause: "TaskManager \(id) was lost") }
    }

    public func cancel() async {
        let proceed = state.withLock { state -> Bool in
            guard !state.status.isTerminal else { return false }
            Self.set(&state, .cancelling)
            return true
        }
        guard proceed else { return }
        logger.info("cancelling job")
        await cancelTasks(reason: "job cancelled")
    }

    private func cancelTasks(reason: String) async {
        let (targets, attempt) = state.withLock { state -> ([(TaskKey, String?)], UInt32) in
            let targets = state.executions.filter { !$0.value.state.isTerminal }.map { ($0.key, $0.value.taskManager) }
            for (key, tm) in targets where tm == nil || membership.connection(to: tm!) == nil {
                // Never deployed, or its TaskManager is gone: nothing left to stop.
                state.executions[key]?.state = .canceled
            }
            _ = Self.settle(&state)
            return (targets, state.attempt)
        }
        for (key, tm) in targets {
            guard let tm, let connection = membership.connection(to: tm) else { continue }
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
        state.withLock { state in
            guard !state.status.isTerminal else { return }
            state.failureCause = cause
            for key in state.executions.keys where !state.executions[key]!.state.isTerminal { state.executions[key]!.state = .canceled }
            Self.set(&state, .failed)
        }
        logger.error("job failed", metadata: ["cause": "\(cause)"])
    }

    private func transition(to status: JobStatus) {
        state.withLock { Self.set(&$0, status) }
    }

    /// Moves the job to its final state once every task is terminal; returns it if it moved.
    private static func settle(_ state: inout State) -> JobStatus? {
        guard !state.status.isTerminal, state.executions.values.allSatisfy({ $0.state.isTerminal }) else { return nil }
        let final: JobStatus
        switch state.status {
        case .failing: final = .failed
        case .cancelling: final = .canceled
        default: final = state.executions.values.allSatisfy { $0.state == .finished } ? .finished : .failed
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

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// Why a job operation failed.
public enum JobMasterError: Error, CustomStringConvertible {
    case taskManagerGone(String)

    public var description: String {
        switch self {
        case .taskManagerGone(let id): return "TaskManager \(id) is no longer registered"
        }
    }
}
