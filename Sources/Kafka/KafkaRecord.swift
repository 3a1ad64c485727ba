/// One message read from Kafka, copied out of librdkafka's buffers so it outlives the poll.
public struct KafkaRecord: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// nil for a message produced without a key (not the same as an empty key).
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Milliseconds since the Unix epoch (create time or log-append time), nil when the broker sent none.
    public var timestamp: Int64?

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], timestamp: Int64?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
    }
}
