/// An operator with state outside the keyed backend (source offsets, sink transactions), or one
/// that must act at checkpoint barriers.
///
/// Called on the task thread. `snapshotState` runs when barrier `checkpointID` reached the
/// operator: every record before the barrier was processed, none after it. What it returns is
/// stored in the checkpoint and handed back on restore through `OperatorContext.restored`
/// (for every subtask of the operator, union-style: on a rescaled restore an operator picks
/// what it now owns, e.g. its Kafka partitions).
public protocol CheckpointedOperator: AnyObject {
    func snapshotState(checkpointID: UInt64) throws -> [UInt8]?
}
