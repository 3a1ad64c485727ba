import SluiceOperators
import SluiceProtocol

/// What a TaskManager needs to run one subtask, decoded from `DeployTask`.
struct TaskDescriptor: Sendable {
    var jobID: String
    var jobName: String
    var attempt: UInt32
    var vertexID: String
    var subtask: Int
    var parallelism: Int
    var maxParallelism: Int
    var keyGroups: KeyGroupRange
    var chain: [_ProtoOperatorSpec]
    var inputs: [_ProtoInputEdge]
    var outputs: [_ProtoOutputEdge]
    var eventTime: JobSpec.EventTime

    /// Validates `deploy` first: a malformed deployment fails its task with the reason, it never
    /// traps the TaskManager.
    init(_ deploy: _ProtoDeployTask, eventTime: JobSpec.EventTime) throws(DeploymentError) {
        let parallelism = Int(deploy.parallelism)
        let maxParallelism = Int(deploy.maxParallelism)
        let subtask = Int(deploy.task.subtaskIndex)
        guard !deploy.task.jobID.isEmpty, !deploy.task.vertexID.isEmpty else { throw .invalid("job and vertex ids are required") }
        guard parallelism >= 1, maxParallelism >= parallelism, maxParallelism <= 32_768 else {
            throw .invalid("parallelism \(parallelism) with max parallelism \(maxParallelism)")
        }
        guard subtask < parallelism else { throw .invalid("subtask \(subtask) of parallelism \(parallelism)") }
        guard !deploy.chain.isEmpty else { throw .invalid("empty operator chain") }
        if deploy.hasKeyGroups {
            guard deploy.keyGroups.start <= deploy.keyGroups.end, Int(deploy.keyGroups.end) < maxParallelism else {
                throw .invalid("key groups \(deploy.keyGroups.start)...\(deploy.keyGroups.end) of \(maxParallelism)")
            }
        }
        jobID = deploy.task.jobID
        jobName = deploy.jobName
        attempt = deploy.task.attempt
        vertexID = deploy.task.vertexID
        self.subtask = subtask
        self.parallelism = parallelism
        self.maxParallelism = maxParallelism
        keyGroups = deploy.hasKeyGroups
            ? KeyGroupRange(start: Int(deploy.keyGroups.start), end: Int(deploy.keyGroups.end))
            : KeyGroupRange.forSubtask(subtask, parallelism: parallelism, maxParallelism: maxParallelism)
        chain = deploy.chain
        inputs = deploy.inputs
        outputs = deploy.outputs
        self.eventTime = eventTime
    }

    var name: String { "\(vertexID)[\(subtask)]#\(attempt)" }

    var protoID: _ProtoTaskId {
        var id = _ProtoTaskId()
        id.jobID = jobID
        id.attempt = attempt
        id.vertexID = vertexID
        id.subtaskIndex = UInt32(subtask)
        return id
    }
}

/// A `DeployTask` the TaskManager cannot run as sent.
enum DeploymentError: Error, CustomStringConvertible {
    case invalid(String)

    var description: String {
        switch self {
        case .invalid(let what): return "invalid deployment: \(what)"
        }
    }
}
