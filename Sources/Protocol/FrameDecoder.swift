import NIOCore
import SwiftProtobuf

/// Splits the inbound byte stream into `Envelope`s: 4-byte big-endian length, then the message.
///
/// Runs on the channel's event loop. Invariant: it never buffers more than `maxFrameBytes + 4`
/// bytes of one frame — an oversized length prefix is refused as soon as its 4 bytes arrive,
/// before any payload is read.
public struct FrameDecoder: LengthPrefixedFrameDecoder {
    public typealias InboundOut = _ProtoEnvelope

    public let maxFrameBytes: Int

    public init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    public static func truncated(bufferedBytes: Int) -> any Error {
        FrameError.truncated(bufferedBytes: bufferedBytes)
    }

    /// The pure framing step, shared with tests: consumes one whole frame from `buffer`, or
    /// nothing when the frame is not complete yet.
    public static func decodeFrame(from buffer: inout ByteBuffer, maxFrameBytes: Int) throws -> _ProtoEnvelope? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        guard Int(length) <= maxFrameBytes else {
            throw FrameError.frameTooLarge(length: length, maximum: maxFrameBytes)
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        let bytes = buffer.readBytes(length: Int(length)) ?? []
        do {
            return try _ProtoEnvelope(serializedBytes: bytes)
        } catch {
            throw FrameError.undecodable(length: bytes.count, reason: "\(error)")
        }
    }
}
