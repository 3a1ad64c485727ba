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

    init(_ deploy: _ProtoDeployTask, eventTime: JobSpec.EventTime) {
        jobID = deploy.task.jobID
        jobName = deploy.jobName
        attempt = deploy.task.attempt
        vertexID = deploy.task.vertexID
        subtask = Int(deploy.task.subtaskIndex)
        parallelism = Int(deploy.parallelism)
        maxParallelism = Int(max(deploy.maxParallelism, 1))
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
