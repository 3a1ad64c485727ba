import SluiceKafka

/// One Kafka record as `verify` loads it into PostgreSQL: where it came from, its size, and its
/// payload as text — nil when the bytes are not UTF-8 text PostgreSQL can hold (invalid UTF-8 or
/// NUL bytes) or exceed the record limit, which already makes them malformed.
struct RawRecordRow {
    static let columns = ["topic", "kind", "part", "off", "size", "payload"]

    var topic: String
    var kind: String
    var partition: Int32
    var offset: Int64
    var size: Int
    var payload: String?

    init(_ record: KafkaRecord, kind: EventTopic) {
        topic = record.topic
        self.kind = kind == .clicks ? "click" : "checkout"
        partition = record.partition
        offset = record.offset
        size = record.value.count
        if size <= SluiceTools.maxRecordBytes, !record.value.contains(0) {
            payload = String(validating: record.value, as: UTF8.self)
        } else {
            payload = nil
        }
    }

    /// The values for `copyIn`, in `columns` order.
    var copyValues: [String?] {
        [topic, kind, "\(partition)", "\(offset)", "\(size)", payload]
    }
}
