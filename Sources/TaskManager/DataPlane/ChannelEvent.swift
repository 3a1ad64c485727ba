import NIOCore

/// One item on a data channel. A channel delivers its events in the order the producer sent them.
///
/// Only `.buffer` is subject to flow control: each one spends one credit of the consumer.
/// Watermarks, watermark status, barriers and the end of the partition never wait for credit but stay in order
/// with the buffers around them. `.endOfPartition` is the last event of a channel.
public enum ChannelEvent: Sendable, Equatable {
    /// A batch of `recordCount` already-serialized records; opaque to the data plane.
    case buffer(ByteBuffer, recordCount: Int)
    /// The producer's event-time watermark, in milliseconds since the epoch.
    case watermark(Int64)
    /// The producer's watermark status (Flink's `WatermarkStatus`): `true` = idle, its
    /// sources have nothing to read, so consumers leave this channel out of their watermark;
    /// `false` = active again (sent before its next records).
    case idle(Bool)
    /// Checkpoint barrier `checkpointID` (aligned checkpoints, DESIGN.md §5).
    case barrier(checkpointID: UInt64)
    /// The producer will send nothing more on this channel.
    case endOfPartition
}
