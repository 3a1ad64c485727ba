import NIOCore

/// A decoder of length-prefixed frames: each format supplies its pure `decodeFrame` step and
/// its "connection closed mid-frame" error; the NIO plumbing around them is this one.
///
/// Shared by the control plane (`FrameDecoder`, protobuf envelopes) and the data plane
/// (`DataFrameDecoder`, binary frames). Invariant: at end of input, leftover bytes are an error,
/// never silently dropped.
public protocol LengthPrefixedFrameDecoder: ByteToMessageDecoder {
    var maxFrameBytes: Int { get }
    /// Consumes one whole frame from `buffer`, or nothing (nil) while the frame is incomplete.
    static func decodeFrame(from buffer: inout ByteBuffer, maxFrameBytes: Int) throws -> InboundOut?
    /// The error for a connection that closed with `bufferedBytes` of an unfinished frame.
    static func truncated(bufferedBytes: Int) -> any Error
}

extension LengthPrefixedFrameDecoder {
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.decodeFrame(from: &buffer, maxFrameBytes: maxFrameBytes) else {
            return .needMoreData
        }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let buffered = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: buffered)
            throw Self.truncated(bufferedBytes: buffered)
        }
        return .needMoreData
    }
}
