/// Statistics of one checkpoint for the REST history: in progress, completed or failed.
///
/// A value; timestamps are epoch milliseconds, -1 when not (yet) known.
public struct CheckpointStats: Sendable, Equatable {
    public enum Status: String, Sendable {
        case inProgress = "IN_PROGRESS"
        case completed = "COMPLETED"
        case failed = "FAILED"
    }

    public var id: UInt64
    public var status: Status
    public var isFinal: Bool
    public var triggerTimestamp: Int64
    public var latestAckTimestamp: Int64
    public var stateSize: UInt64
    /// Bytes written to storage by this checkpoint (Flink's "checkpointed size"): with
    /// incremental RocksDB snapshots, only SST files no earlier checkpoint uploaded.
    public var uploadedSize: UInt64 = 0
    /// The longest barrier alignment (ms) of any task that acknowledged it.
    public var alignmentDuration: UInt64 = 0
    public var numSubtasks: Int
    public var numAcknowledgedSubtasks: Int
    /// The `chk-<n>` directory of a completed checkpoint.
    public var externalPath: String?
    /// True once a completed checkpoint was subsumed and its files deleted.
    public var discarded: Bool
    public var failureTimestamp: Int64?
    public var failureMessage: String?

    /// From trigger to the latest acknowledgement (to the failure for a failed checkpoint).
    public var endToEndDuration: Int64 {
        let end = max(latestAckTimestamp, failureTimestamp ?? -1)
        return end < 0 ? 0 : max(0, end - triggerTimestamp)
    }
}
