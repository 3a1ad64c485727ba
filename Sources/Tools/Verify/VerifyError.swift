/// Why `sluice verify` could not finish its comparison, with what to do about it. (A finished
/// comparison that found differences is not an error: see `VerificationReport.isEqual`.)
public enum VerifyError: Error, CustomStringConvertible, Sendable {
    /// A flag has an unusable value.
    case invalidOption(flag: String, value: String, expected: String)
    /// A topic's partitions or offsets could not be read.
    case topicUnavailable(topic: String, bootstrap: String, reason: String)
    /// No partition made progress for `seconds`, with `pending` partitions not read to the end.
    case readStalled(pending: [String], seconds: Int)
    /// A table the comparison needs does not exist.
    case tableMissing(table: String)

    public var description: String {
        switch self {
        case .invalidOption(let flag, let value, let expected):
            return "invalid value '\(value)' for \(flag): expected \(expected)"
        case .topicUnavailable(let topic, let bootstrap, let reason):
            return "cannot read Kafka topic '\(topic)' at \(bootstrap): \(reason). "
                + "Is the broker running (cluster/devbroker.sh status)? Pass --kafka or --clicks-topic/--checkouts-topic to point elsewhere."
        case .readStalled(let pending, let seconds):
            return "reading Kafka made no progress for \(seconds) s; not read to the end: \(pending.prefix(10).joined(separator: ", "))"
                + (pending.count > 10 ? " and \(pending.count - 10) more" : "") + ". Check the broker (cluster/devbroker.sh status) and retry."
        case .tableMissing(let table):
            return "table \(table) does not exist: apply cluster/schema.sql (sluice datagen --apply-schema does) or pass --sink-table"
        }
    }
}
