import SluiceConnectorKinds
import SluiceEngine
/// How far a source subtask is behind one Kafka partition: records between the next offset it
/// will read and the partition's end (the high watermark, or the end offset of a bounded read).
///
/// Computed on the source's task thread at most about once a second from librdkafka's cached
/// watermarks (no broker round trip) and published with the operator's counters; the
/// TaskManager exports it as `sluice_kafka_consumer_lag_records`. Never negative.
public struct KafkaPartitionLag: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var records: Int64

    public init(topic: String, partition: Int32, records: Int64) {
        self.topic = topic
        self.partition = partition
        self.records = records
    }

    /// The lag as a reading of `kafka-source`'s gauge, labelled topic and partition.
    public var reading: GaugeReading {
        GaugeReading(KafkaSourceKind.consumerLag, labels: [MetricLabel("topic", topic), MetricLabel("partition", "\(partition)")],
                     value: Double(records))
    }

    /// The lag in records, or nil while it is unknown (no fetch answered yet for an unbounded
    /// partition). `next`: next offset to read, -1 before the first record; `low`/`high`: the
    /// cached watermarks (-1 = not known); `end`: a bounded read's end offset; `finished`: a bounded
    /// read reached it. Before the first record the read position is taken as the low watermark,
    /// or 0 when that is not known either — an upper bound, as the source starts at the beginning.
    public static func records(next: Int64, low: Int64, high: Int64, end: Int64?, finished: Bool) -> Int64? {
        if finished { return 0 }
        let position = next >= 0 ? next : max(low, 0)
        if let end { return max(0, end - position) }
        guard high >= 0 else { return nil }
        return max(0, high - position)
    }
}
