import SluiceEngine
import Foundation
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
    var lineage: String
    var checkpointing: Bool
    /// The job's checkpoint directory (`<checkpoints.dir>/<lineage>`); empty without checkpointing.
    var checkpointStorage: String
    /// State to restore: keyed handles of the vertex, operator states of the chain's operators.
    var restore: [_ProtoStateHandle]
    var restoreCheckpointID: UInt64?
    /// Per operator of `chain`, the schemas arriving on its inputs and what it emits (nil for a
    /// sink; empty/nil from a JobManager that sends none), decoded once.
    var schemas: [(inputs: [Schema], output: Schema?)]
    /// The schemas arriving on the chain head's logical inputs.
    var inputSchemas: [Schema] { schemas[0].inputs }
    /// What the chain's last operator emits.
    var outputSchema: Schema? { schemas[schemas.count - 1].output }

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
        lineage = deploy.lineage.isEmpty ? deploy.task.jobID : deploy.lineage
        checkpointing = deploy.checkpointing
        guard !deploy.checkpointing || deploy.checkpointStorage.hasPrefix("/") else {
            throw .invalid("checkpoint storage must be an absolute path, got '\(deploy.checkpointStorage)'")
        }
        checkpointStorage = deploy.checkpointStorage
        restore = deploy.restore
        restoreCheckpointID = deploy.restoreCheckpointID > 0 ? deploy.restoreCheckpointID : nil
        var schemas: [(inputs: [Schema], output: Schema?)] = []
        for op in deploy.chain {
            var inputs: [Schema] = []
            for schema in op.inputSchemas { inputs.append(try Schema(schema)) }
            schemas.append((inputs, op.hasOutputSchema ? try Schema(op.outputSchema) : nil))
        }
        self.schemas = schemas
    }

    /// What operator `operatorID` gets back from the restored checkpoint (every old subtask's state).
    func restoredState(of operatorID: String) -> RestoredOperatorState {
        guard let restoreCheckpointID else { return .none }
        let states = restore.filter { $0.kind == StateHandleKind.operatorState && $0.operatorID == operatorID }
            .sorted { $0.subtaskIndex < $1.subtaskIndex }
            .map { [UInt8]($0.inlineData) }
        return RestoredOperatorState(checkpointID: restoreCheckpointID, states: states)
    }

    var keyedRestoreHandles: [_ProtoStateHandle] {
        restore.filter { $0.kind == StateHandleKind.keyedRocksDB }
    }

    /// Unique among the tasks of one TaskManager: two jobs may share vertex ids (two copies of
    /// one spec, or any two specs naming a source `clicks`).
    var name: String { Self.name(job: jobID, vertex: vertexID, subtask: subtask, attempt: attempt) }

    static func name(job: String, vertex: String, subtask: Int, attempt: UInt32) -> String {
        "\(job)/\(vertex)[\(subtask)]#\(attempt)"
    }

    /// The task's directory name in checkpoint storage (`chk-<n>/<vertex>-<subtask>`).
    var storageName: String { "\(vertexID)-\(subtask)" }

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
