/// Everything `sluice verify` can be told, with the documented defaults.
public struct VerifyOptions: Sendable {
    public var clicksTopic: String = SluiceTools.defaultClicksTopic
    public var checkoutsTopic: String = SluiceTools.defaultCheckoutsTopic
    /// The job's output table.
    public var sinkTable: String = SluiceTools.defaultSinkTable
    /// The attribution window: clicks in [T − window, T] count for a checkout at T.
    public var windowMillis: Int64 = SluiceTools.attributionWindowMillis
    /// How many examples of each kind of difference to list.
    public var maxDiffs: Int = 20
    /// How far an event may lag the newest event before it (the producers' disorder); pads the
    /// comparison cut-off after the broker dropped old data (see `TruncationCutoff`).
    public var maxDisorderMillis: Int64 = 15_000
    /// The running job's event-time watermark: expected rows with a later checkout time are not
    /// due yet (the job emits a checkout once its watermark passes it), so they are counted
    /// apart from missing ones. Nil: every expected row is due (the job ended or was drained).
    public var watermarkMillis: Int64?
    /// Give up reading Kafka when no partition made progress for this long.
    public var readIdleTimeout: Duration = .seconds(30)

    public init() {}

    /// The topic name of `topic`.
    public func name(of topic: EventTopic) -> String {
        topic == .clicks ? clicksTopic : checkoutsTopic
    }

    /// Throws a `VerifyError.invalidOption` naming the first flag with an unusable value.
    public func validate() throws(VerifyError) {
        if clicksTopic.isEmpty || checkoutsTopic.isEmpty || clicksTopic == checkoutsTopic {
            throw .invalidOption(flag: "--clicks-topic/--checkouts-topic", value: "\(clicksTopic)/\(checkoutsTopic)",
                                 expected: "two different, non-empty topic names")
        }
        if windowMillis <= 0 { throw .invalidOption(flag: "--window-ms", value: "\(windowMillis)", expected: "a positive number of milliseconds") }
        if maxDiffs < 0 { throw .invalidOption(flag: "--max-diffs", value: "\(maxDiffs)", expected: "0 or more") }
        if maxDisorderMillis < 0 {
            throw .invalidOption(flag: "--max-disorder-ms", value: "\(maxDisorderMillis)", expected: "0 or more milliseconds")
        }
        if sinkTable.isEmpty { throw .invalidOption(flag: "--sink-table", value: "", expected: "a (schema-qualified) table name") }
    }
}
