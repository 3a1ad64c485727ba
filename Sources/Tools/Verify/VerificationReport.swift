import SluiceAttribution
import SluiceEngine

/// The outcome of one `sluice verify` run: what was read, what SQL expects, how the sink and
/// the dead letters compare, and examples of each difference.
public struct VerificationReport: Sendable {
    /// Rows compared: expected checkouts in scope.
    public struct RowCounts: Sendable, Hashable {
        public var expected = 0
        public var equal = 0
        /// In the sink, but some column differs.
        public var different = 0
        /// Different, but a late click (in `commerce.late_events`) of the same user and product
        /// fell in the window, so the engine could not have seen it.
        public var differentExplainedByLateClicks = 0
        public var missing = 0
        /// Not in the sink, but in `commerce.late_events`: accounted for.
        public var late = 0
        /// Not in the sink and newer than the running job's watermark: not emitted yet, not missing.
        public var notDue = 0
        /// In the sink (in scope), but no such checkout in the topics.
        public var extra = 0
        public var attributed = 0
        public var unknownUsers = 0
        /// Rows left out because of dropped Kafka data (see `TruncationCutoff`).
        public var excludedExpected = 0
        public var excludedSink = 0
        public var sinkRows = 0

        public var unattributed: Int { expected - attributed }
    }

    /// Malformed records compared with `commerce.dead_letters`.
    public struct DeadLetterCounts: Sendable, Hashable {
        /// Records SQL found malformed.
        public var expected = 0
        /// Dead letters for the offsets read.
        public var found = 0
        public var missing = 0
        public var extra = 0
        /// Dead letters of the topics at offsets not read (dropped by the broker, or newer).
        public var outsideReadOffsets = 0
    }

    public var partitions: [PartitionSnapshot] = []
    public var validClicks = 0
    public var validCheckouts = 0
    public var malformedRecords = 0
    /// Checkout ids that occur more than once among the well-formed checkouts.
    public var repeatedCheckoutIDs = 0
    /// The running job's watermark the comparison used (nil: every row was due).
    public var watermarkMillis: Int64?
    /// Only checkouts at or after this event time were compared (nil: all).
    public var cutoffMillis: Int64?
    public var rows = RowCounts()
    public var deadLetters = DeadLetterCounts()
    public var missingExamples: [String] = []
    public var extraExamples: [String] = []
    public var differentExamples: [String] = []
    public var missingDeadLetterExamples: [String] = []
    public var extraDeadLetterExamples: [String] = []
    public var sinkTable = SluiceTools.defaultSinkTable
    public var readSeconds = 0.0
    public var totalSeconds = 0.0

    public init() {}

    /// The sink holds exactly the expected rows (late ones and late-click-explained ones
    /// accounted for) and the dead letters are exactly the malformed records.
    public var isEqual: Bool {
        rows.missing == 0 && rows.extra == 0 && rows.different == 0 && deadLetters.missing == 0 && deadLetters.extra == 0
    }

    /// Partitions whose oldest records the broker dropped.
    public var truncatedPartitions: [PartitionSnapshot] { partitions.filter(\.isTruncated) }
}
