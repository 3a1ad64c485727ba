/// What a restarted or resumed operator gets back from the checkpoint it restores.
///
/// `states` holds what every subtask of this operator returned from
/// `CheckpointedOperator.snapshotState` in that checkpoint (in subtask order of the old
/// parallelism, which may differ from the current one). Empty on a fresh start.
public struct RestoredOperatorState: Sendable, Equatable {
    public var checkpointID: UInt64?
    public var states: [[UInt8]]

    public init(checkpointID: UInt64? = nil, states: [[UInt8]] = []) {
        self.checkpointID = checkpointID
        self.states = states
    }

    public static let none = RestoredOperatorState()
}
