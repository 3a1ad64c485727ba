/// The offsets bounding one partition's log: `low` is the first offset still stored (it moves
/// up when the broker deletes old data), `high` is the offset the next produced message gets.
public struct KafkaWatermarks: Sendable, Hashable, CustomStringConvertible {
    public var low: Int64
    public var high: Int64

    public init(low: Int64, high: Int64) {
        self.low = low
        self.high = high
    }

    /// Messages currently stored in the partition.
    public var messageCount: Int64 { max(0, high - low) }

    public var description: String { "[\(low), \(high))" }
}
