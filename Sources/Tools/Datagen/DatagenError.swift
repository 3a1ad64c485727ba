/// Why `sluice datagen` could not do its job, with what to do about it.
public enum DatagenError: Error, CustomStringConvertible, Sendable {
    /// A flag has an unusable value.
    case invalidOption(flag: String, value: String, expected: String)
    /// The Kafka topic does not exist or its metadata cannot be read.
    case topicUnavailable(topic: String, bootstrap: String, reason: String)
    /// The schema file could not be read.
    case unreadableSchema(path: String, reason: String)
    /// `commerce.users` (or another table the datagen fills) is missing.
    case schemaMissing(table: String)
    /// Producing or flushing failed; `delivered` records made it before.
    case deliveryFailed(reason: String, delivered: Int, failed: Int)

    public var description: String {
        switch self {
        case .invalidOption(let flag, let value, let expected):
            return "invalid value '\(value)' for \(flag): expected \(expected)"
        case .topicUnavailable(let topic, let bootstrap, let reason):
            return "Kafka topic '\(topic)' is not available at \(bootstrap): \(reason). "
                + "Start the dev broker (cluster/devbroker.sh start, topics from SLUICE_KAFKA_TOPICS, default clicks:8,checkouts:8), "
                + "create the topic, or pass --kafka / --clicks-topic / --checkouts-topic."
        case .unreadableSchema(let path, let reason):
            return "cannot read the schema file \(path): \(reason). Pass --schema PATH (the repository's cluster/schema.sql)."
        case .schemaMissing(let table):
            return "table \(table) does not exist: run with --apply-schema (and --schema cluster/schema.sql) or apply cluster/schema.sql with psql"
        case .deliveryFailed(let reason, let delivered, let failed):
            return "Kafka delivery failed after \(delivered) records delivered (\(failed) failed): \(reason). "
                + "Check that the broker is running and reachable, then re-run with the same --seed."
        }
    }
}
