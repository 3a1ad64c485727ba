import SluiceKafka

/// What `verify` read from one partition: the offsets the broker held when reading started,
/// and the offsets actually read (the broker may drop more while we read).
public struct PartitionSnapshot: Sendable, Hashable {
    public var partition: KafkaTopicPartition
    /// Low and high watermark when reading started.
    public var watermarks: KafkaWatermarks
    /// The smallest offset read, nil if none was.
    public var firstOffsetRead: Int64?
    public var recordsRead = 0

    public init(partition: KafkaTopicPartition, watermarks: KafkaWatermarks) {
        self.partition = partition
        self.watermarks = watermarks
    }

    /// The first offset whose record was still there: offsets below it are gone.
    public var firstAvailableOffset: Int64 {
        max(watermarks.low, firstOffsetRead ?? watermarks.high)
    }

    /// How many offsets at the start of the partition the broker no longer holds.
    public var offsetsGone: Int64 { firstAvailableOffset }

    /// The broker dropped old data of this partition (its low watermark is above 0).
    public var isTruncated: Bool { offsetsGone > 0 }

    /// Records between the first available offset and the high watermark that were not read
    /// (0 unless the log has gaps).
    public var unreadRecords: Int64 { max(0, watermarks.high - firstAvailableOffset - Int64(recordsRead)) }
}
