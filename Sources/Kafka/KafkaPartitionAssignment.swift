/// A partition a `KafkaConsumer` reads, and where it starts.
public struct KafkaPartitionAssignment: Sendable, Hashable {
    /// Where reading starts.
    public enum StartOffset: Sendable, Hashable {
        /// The oldest message still stored (the low watermark).
        case beginning
        /// Only messages produced after the assignment (the high watermark).
        case end
        /// This exact offset, e.g. one restored from a checkpoint.
        case offset(Int64)

        /// The value librdkafka takes (`RD_KAFKA_OFFSET_BEGINNING` is -2, `RD_KAFKA_OFFSET_END` is -1).
        var rawValue: Int64 {
            switch self {
            case .beginning: -2
            case .end: -1
            case .offset(let offset): offset
            }
        }
    }

    public var topic: String
    public var partition: Int32
    public var start: StartOffset

    public init(topic: String, partition: Int32, start: StartOffset) {
        self.topic = topic
        self.partition = partition
        self.start = start
    }
}
