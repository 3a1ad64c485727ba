/// What one `KafkaConsumer.poll` returned: records in the order librdkafka delivered them
/// (per partition in offset order), partitions whose end was reached, and non-fatal errors.
public struct KafkaConsumerBatch: Sendable {
    public var records: [KafkaRecord] = []
    /// Partitions that reached the end of their log during this poll, with the offset the next
    /// message there will get. Reported once per time the end is reached (`enable.partition.eof`).
    public var endOfPartition: [KafkaTopicPartition: Int64] = [:]
    /// Errors librdkafka reported as events (e.g. an offset out of range, a broker going away);
    /// the consumer keeps working after them. Fatal errors are thrown by `poll` instead.
    public var errors: [KafkaError] = []

    public init() {}

    /// No records, no end-of-partition events and no errors.
    public var isEmpty: Bool { records.isEmpty && endOfPartition.isEmpty && errors.isEmpty }
}
