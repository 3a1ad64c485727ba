/// A job's checkpoint statistics at one moment, what `GET /jobs/:id/checkpoints` renders.
///
/// A value copied out of the coordinator under its lock, so readers never see a half update.
public struct CheckpointStatsSnapshot: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        public var restored = 0
        public var total = 0
        public var inProgress = 0
        public var completed = 0
        public var failed = 0
    }

    /// Min, max and average over completed checkpoints (all 0 before the first one).
    public struct Summary: Sendable, Equatable {
        public var min: Int64 = 0
        public var max: Int64 = 0
        public var average: Int64 = 0
        public var count: Int = 0
        private var sum: Int64 = 0

        mutating func add(_ value: Int64) {
            min = count == 0 ? value : Swift.min(min, value)
            max = count == 0 ? value : Swift.max(max, value)
            sum &+= value
            count += 1
            average = sum / Int64(count)
        }
    }

    /// The checkpoint a job attempt was restored from.
    public struct Restored: Sendable, Equatable {
        public var id: UInt64
        public var restoreTimestamp: Int64
        public var externalPath: String
    }

    public var counts = Counts()
    public var stateSize = Summary()
    public var uploadedSize = Summary()
    public var endToEndDuration = Summary()
    public var latestCompleted: CheckpointStats?
    public var latestFailed: CheckpointStats?
    public var latestRestored: Restored?
    /// Newest first, at most `CheckpointStatsTracker.historySize` entries.
    public var history: [CheckpointStats] = []

    public init() {}
}
