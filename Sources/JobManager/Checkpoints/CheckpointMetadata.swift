import SluiceProtocol

/// Everything needed to restore a job from one completed checkpoint: its `chk-<n>/_metadata`.
///
/// A value, written once per checkpoint by the coordinator (JSON, human-readable) and read on
/// restore and by the shared-file garbage collection. Invariant: `formatVersion` names the
/// layout; readers refuse other versions instead of guessing.
public struct CheckpointMetadata: Codable, Sendable, Equatable {
    public static let currentFormatVersion = 1

    /// The state of one subtask in the checkpoint.
    public struct TaskSnapshot: Codable, Sendable, Equatable {
        public var vertex: String
        public var subtask: Int
        /// The vertex's parallelism when the checkpoint was taken (a restore may use another).
        public var parallelism: Int
        public var stateHandles: [StoredStateHandle]

        public init(vertex: String, subtask: Int, parallelism: Int, stateHandles: [StoredStateHandle]) {
            self.vertex = vertex
            self.subtask = subtask
            self.parallelism = parallelism
            self.stateHandles = stateHandles
        }

        enum CodingKeys: String, CodingKey {
            case vertex, subtask, parallelism, stateHandles = "state_handles"
        }
    }

    public var formatVersion: Int
    public var jobID: String
    public var lineage: String
    public var jobName: String
    public var attempt: UInt32
    public var checkpointID: UInt64
    public var triggerTimestamp: Int64
    public var completionTimestamp: Int64
    public var isFinal: Bool
    public var jobSpecYAML: String
    /// Sorted by (vertex, subtask).
    public var tasks: [TaskSnapshot]

    public init(job: CheckpointJobInfo, attempt: UInt32, checkpointID: UInt64, triggerTimestamp: Int64,
                completionTimestamp: Int64, isFinal: Bool, tasks: [TaskSnapshot]) {
        formatVersion = Self.currentFormatVersion
        jobID = job.jobID
        lineage = job.lineage
        jobName = job.jobName
        jobSpecYAML = job.specYAML
        self.attempt = attempt
        self.checkpointID = checkpointID
        self.triggerTimestamp = triggerTimestamp
        self.completionTimestamp = completionTimestamp
        self.isFinal = isFinal
        self.tasks = tasks.sorted { ($0.vertex, $0.subtask) < ($1.vertex, $1.subtask) }
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", jobID = "job_id", lineage, jobName = "job_name", attempt
        case checkpointID = "checkpoint_id", triggerTimestamp = "trigger_timestamp"
        case completionTimestamp = "completion_timestamp", isFinal = "is_final", jobSpecYAML = "job_spec_yaml", tasks
    }

    /// Every state handle of every subtask of `vertex`, ready for `DeployTask.restore`; each
    /// keeps the subtask index that wrote it, so a rescaled restore can pick what it owns.
    public func handles(forVertex vertex: String) -> [_ProtoStateHandle] {
        tasks.filter { $0.vertex == vertex }.flatMap { task in task.stateHandles.map(\.proto) }
    }

    /// The parallelism `vertex` had in this checkpoint, nil if the vertex is not in it.
    public func parallelism(ofVertex vertex: String) -> Int? {
        tasks.first { $0.vertex == vertex }?.parallelism
    }

    /// Sum of the handles' sizes.
    public var stateSize: UInt64 {
        tasks.reduce(0) { total, task in task.stateHandles.reduce(total) { $0 &+ $1.sizeBytes } }
    }

    /// The storage-relative paths (`shared/<unique name>`) this checkpoint references.
    public var sharedPaths: Set<String> {
        Set(tasks.flatMap { $0.stateHandles.flatMap(\.sharedPaths) })
    }
}
