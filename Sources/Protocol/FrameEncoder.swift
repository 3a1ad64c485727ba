import NIOCore
import SwiftProtobuf

/// Writes each outbound `Envelope` as one frame: 4-byte big-endian length, then the message.
///
/// Runs on the channel's event loop; control-plane messages are small, so serialising into a
/// temporary array before the length is known costs nothing that matters.
public struct FrameEncoder: MessageToByteEncoder {
    public typealias OutboundIn = _ProtoEnvelope

    public init() {}

    public func encode(data: _ProtoEnvelope, out: inout ByteBuffer) throws {
        try Self.encodeFrame(data, into: &out)
    }

    public static func encodeFrame(_ envelope: _ProtoEnvelope, into out: inout ByteBuffer) throws {
        let bytes: [UInt8] = try envelope.serializedBytes()
        out.reserveCapacity(minimumWritableBytes: bytes.count + 4)
        out.writeInteger(UInt32(bytes.count), endianness: .big)
        out.writeBytes(bytes)
    }
}
