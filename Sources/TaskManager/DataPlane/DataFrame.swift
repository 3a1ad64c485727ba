import NIOCore
import SluiceProtocol

/// One frame of the data-plane wire protocol; the wire format is specified in `README.md` next
/// to this file.
///
/// Every frame is `u32 big-endian length` (of what follows) + `u8 kind` + payload; all integers
/// are big-endian. A value type with no owner; it is built and taken apart on the connection's
/// event loop (by `DataFrameEncoder` / `DataFrameDecoder`) or on the producer's thread.
public enum DataFrame: Sendable, Equatable {
    /// The frame kinds, as the `u8` after the length.
    public enum Kind: UInt8, Sendable, CaseIterable {
        case envelope = 0
        case open = 1
        case buffer = 2
        case watermark = 3
        case barrier = 4
        case endOfPartition = 5
        case credit = 6
        case close = 7
        case watermarkStatus = 8
    }

    /// A protobuf `Envelope`, used only for the handshake (offer, challenge, response, accept,
    /// reject), before anything else on the connection.
    case envelope(_ProtoEnvelope)
    /// Consumer → producer after the handshake: attach me to this channel and take these credits.
    /// The producer echoes the same frame back to confirm, or answers `.close` to refuse.
    case open(ChannelKey, initialCredit: UInt32)
    /// Producer → consumer: a batch of serialized records; spends one credit.
    case buffer(ByteBuffer, recordCount: UInt32)
    /// Producer → consumer: an event-time watermark.
    case watermark(Int64)
    /// Producer → consumer: the channel turns idle (`true`) or active (`false`).
    case watermarkStatus(idle: Bool)
    /// Producer → consumer: a checkpoint barrier.
    case barrier(checkpointID: UInt64)
    /// Producer → consumer: nothing follows on this channel.
    case endOfPartition
    /// Consumer → producer: this many more buffers may be sent.
    case credit(UInt32)
    /// Either side: the channel ends (or the OPEN is refused); the sender closes the connection.
    case close(CloseReason)

    /// Frame header bytes before a BUFFER's records: length, kind and record count.
    public static let bufferHeaderBytes = 9
    /// Bytes of a frame not counted by its length field.
    public static let lengthFieldBytes = 4

    public var kind: Kind {
        switch self {
        case .envelope: .envelope
        case .open: .open
        case .buffer: .buffer
        case .watermark: .watermark
        case .watermarkStatus: .watermarkStatus
        case .barrier: .barrier
        case .endOfPartition: .endOfPartition
        case .credit: .credit
        case .close: .close
        }
    }

    /// The frame that carries `event` from producer to consumer.
    public init(_ event: ChannelEvent) {
        switch event {
        case .buffer(let bytes, let recordCount):
            self = .buffer(bytes, recordCount: UInt32(clamping: recordCount))
        case .watermark(let timestamp):
            self = .watermark(timestamp)
        case .idle(let idle):
            self = .watermarkStatus(idle: idle)
        case .barrier(let checkpointID):
            self = .barrier(checkpointID: checkpointID)
        case .endOfPartition:
            self = .endOfPartition
        }
    }

    /// The event this frame carries to a consumer, or nil for a control frame.
    public var channelEvent: ChannelEvent? {
        switch self {
        case .buffer(let bytes, let recordCount): .buffer(bytes, recordCount: Int(recordCount))
        case .watermark(let timestamp): .watermark(timestamp)
        case .watermarkStatus(let idle): .idle(idle)
        case .barrier(let checkpointID): .barrier(checkpointID: checkpointID)
        case .endOfPartition: .endOfPartition
        case .envelope, .open, .credit, .close: nil
        }
    }
}
