/// One consumed record as a view of librdkafka's buffer, handed to `KafkaConsumer.pollEach`'s
/// body. The buffers are valid only during that call: copy what must outlive it.
public struct KafkaMessageView {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    public let key: UnsafeRawBufferPointer?
    public let value: UnsafeRawBufferPointer
    /// Milliseconds since the epoch, when the broker or producer set one.
    public let timestamp: Int64?
}
