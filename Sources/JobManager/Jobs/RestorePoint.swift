import SluiceProtocol

/// The state a job attempt starts from: one completed checkpoint's handles, all subtasks.
///
/// The planner gives each task the handles of its chain's operators from every old subtask;
/// the task keeps what overlaps its key groups (keyed state) or what it owns (operator state),
/// which is what makes a restore with another parallelism work.
public struct RestorePoint: Sendable {
    public var checkpoint: CompletedCheckpoint
    public var handles: [_ProtoStateHandle]

    public init(_ checkpoint: CompletedCheckpoint) {
        self.checkpoint = checkpoint
        handles = checkpoint.metadata.tasks.flatMap { task in task.stateHandles.map(\.proto) }
    }

    public var checkpointID: UInt64 { checkpoint.id }
    /// The checkpoint directory it was read from (for logs and the HA record).
    public var path: String { checkpoint.externalPath }

    /// The handles of the operators in `operatorIDs`.
    func handles(for operatorIDs: Set<String>) -> [_ProtoStateHandle] {
        handles.filter { operatorIDs.contains($0.operatorID) }
    }
}
