import SluiceProtocol

/// A triggered checkpoint waiting for the acknowledgements of every task of its attempt.
///
/// A value owned by `CheckpointCoordinatorState`. Invariants: `acknowledged` only holds tasks
/// of `tasks`, each at most once; the checkpoint is complete exactly when every task acked.
struct PendingCheckpoint: Sendable {
    /// What one task reported for this checkpoint.
    struct Acknowledgement: Sendable {
        var handles: [_ProtoStateHandle]
        var stateSize: UInt64
        /// Bytes this checkpoint actually wrote to storage (incremental: new files only).
        var uploadedSize: UInt64
        /// How long the task waited for barrier alignment of its inputs.
        var alignmentMillis: UInt64 = 0
    }

    let id: UInt64
    let attempt: UInt32
    let triggerTimestamp: Int64
    let isFinal: Bool
    /// Every task of the attempt and the TaskManager hosting it.
    let tasks: [TaskKey: String]
    private(set) var acknowledged: [TaskKey: Acknowledgement] = [:]
    private(set) var latestAckTimestamp: Int64 = -1

    init(id: UInt64, attempt: UInt32, triggerTimestamp: Int64, isFinal: Bool, tasks: [TaskKey: String]) {
        self.id = id
        self.attempt = attempt
        self.triggerTimestamp = triggerTimestamp
        self.isFinal = isFinal
        self.tasks = tasks
    }

    var isComplete: Bool { acknowledged.count == tasks.count }
    var stateSize: UInt64 { acknowledged.values.reduce(0) { $0 &+ $1.stateSize } }
    var uploadedSize: UInt64 { acknowledged.values.reduce(0) { $0 &+ $1.uploadedSize } }
    /// The longest barrier alignment of any acknowledged task.
    var alignmentMillis: UInt64 { acknowledged.values.map(\.alignmentMillis).max() ?? 0 }

    /// The TaskManagers hosting a task of the attempt, sorted (whom completion and abort notices go to).
    var taskManagers: [String] { Set(tasks.values).sorted() }

    /// Records `task`'s acknowledgement; false if the task is not part of the checkpoint or already acked.
    mutating func acknowledge(_ task: TaskKey, handles: [_ProtoStateHandle], reportedSize: UInt64, uploadedSize: UInt64 = 0,
                              alignmentMillis: UInt64 = 0, at now: Int64) -> Bool {
        guard tasks[task] != nil, acknowledged[task] == nil else { return false }
        let size = reportedSize > 0 ? reportedSize : handles.reduce(0) { $0 &+ $1.sizeBytes }
        acknowledged[task] = Acknowledgement(handles: handles, stateSize: size, uploadedSize: uploadedSize,
                                             alignmentMillis: alignmentMillis)
        latestAckTimestamp = max(latestAckTimestamp, now)
        return true
    }

    /// The metadata of this checkpoint once complete.
    func metadata(job: CheckpointJobInfo, completedAt now: Int64) -> CheckpointMetadata {
        var parallelism: [String: Int] = [:]
        for key in tasks.keys { parallelism[key.vertex, default: 0] += 1 }
        let snapshots = acknowledged.map { key, ack in
            CheckpointMetadata.TaskSnapshot(vertex: key.vertex, subtask: key.subtask, parallelism: parallelism[key.vertex] ?? 0,
                                            stateHandles: ack.handles.map(StoredStateHandle.init))
        }
        return CheckpointMetadata(job: job, attempt: attempt, checkpointID: id, triggerTimestamp: triggerTimestamp,
                                  completionTimestamp: now, isFinal: isFinal, tasks: snapshots)
    }
}
