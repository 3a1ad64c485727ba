/// Messages for one `KafkaProducer.sendBatch` call, stored back to back in a single byte
/// buffer so the batch reaches librdkafka without one allocation per message.
///
/// A plain value: build it on one thread, hand it to `sendBatch`, then `removeAll()` and reuse
/// its capacity for the next batch. librdkafka copies the bytes while enqueueing, so the batch
/// may be changed or dropped as soon as `sendBatch` returns.
public struct KafkaProducerBatch: Sendable {
    struct Entry: Sendable {
        var partition: Int32
        var keyStart: Int
        /// -1 when the message has no key (a null key, not an empty one).
        var keyLength: Int
        var valueStart: Int
        var valueLength: Int
    }

    private(set) var bytes: [UInt8] = []
    private(set) var entries: [Entry] = []

    /// An empty batch with room for `messages` messages totalling `bytes` bytes of keys and values.
    public init(reservingMessages messages: Int = 0, bytes byteCount: Int = 0) {
        entries.reserveCapacity(messages)
        bytes.reserveCapacity(byteCount)
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// Total size of all keys and values.
    public var byteCount: Int { bytes.count }

    /// Adds a message with a key. `partition` may be `KafkaProducer.anyPartition` to let the
    /// configured partitioner choose (by key hash).
    public mutating func append(partition: Int32, key: some Sequence<UInt8>, value: some Sequence<UInt8>) {
        let keyStart = bytes.count
        bytes.append(contentsOf: key)
        let valueStart = bytes.count
        bytes.append(contentsOf: value)
        entries.append(Entry(partition: partition, keyStart: keyStart, keyLength: valueStart - keyStart,
                             valueStart: valueStart, valueLength: bytes.count - valueStart))
    }

    /// Adds a message whose key and value the closures append to the batch's own buffer (nil
    /// `key`: no key), so the caller builds neither in a buffer of its own first.
    public mutating func append(partition: Int32, key: ((inout [UInt8]) -> Void)?, value: (inout [UInt8]) -> Void) {
        let keyStart = bytes.count
        key?(&bytes)
        let valueStart = bytes.count
        value(&bytes)
        entries.append(Entry(partition: partition, keyStart: keyStart, keyLength: key == nil ? -1 : valueStart - keyStart,
                             valueStart: valueStart, valueLength: bytes.count - valueStart))
    }

    /// Adds a message without a key.
    public mutating func append(partition: Int32, value: some Sequence<UInt8>) {
        let valueStart = bytes.count
        bytes.append(contentsOf: value)
        entries.append(Entry(partition: partition, keyStart: valueStart, keyLength: -1,
                             valueStart: valueStart, valueLength: bytes.count - valueStart))
    }

    /// Empties the batch, keeping its buffers for reuse.
    public mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
        entries.removeAll(keepingCapacity: keepingCapacity)
    }
}
