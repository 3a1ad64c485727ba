import NIOCore

/// A TCP connection that exchanges `Envelope`s, as NIO's async channel.
public typealias EnvelopeChannel = NIOAsyncChannel<_ProtoEnvelope, _ProtoEnvelope>
public typealias EnvelopeIterator = NIOAsyncChannelInboundStream<_ProtoEnvelope>.AsyncIterator
public typealias EnvelopeWriter = NIOAsyncChannelOutboundWriter<_ProtoEnvelope>

extension NIOAsyncChannel where Inbound == _ProtoEnvelope, Outbound == _ProtoEnvelope {
    /// Installs the frame codec on `channel` and wraps it; call from a bootstrap's channel initializer
    /// (on the channel's event loop).
    public static func framed(_ channel: any Channel, maxFrameBytes: Int) -> EventLoopFuture<EnvelopeChannel> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: maxFrameBytes)))
            try pipeline.addHandler(MessageToByteHandler(FrameEncoder()))
            return try EnvelopeChannel(wrappingChannelSynchronously: channel)
        }
    }
}
