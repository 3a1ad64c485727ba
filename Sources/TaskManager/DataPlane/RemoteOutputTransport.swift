import NIOCore

/// Writes an output channel's events as frames to the consumer's connection.
///
/// Owns nothing but the NIO channel reference. Called from the producer's thread (NIO moves the
/// write onto the connection's event loop, in call order) or on the event loop itself while
/// attaching. Needs no write-buffer limit: credit bounds the buffers in flight.
final class RemoteOutputTransport: OutputTransport {
    private let channel: any Channel
    private let key: ChannelKey
    private let initialCredit: UInt32

    init(channel: any Channel, key: ChannelKey, initialCredit: UInt32) {
        self.channel = channel
        self.key = key
        self.initialCredit = initialCredit
    }

    /// Echoes the consumer's OPEN: the channel is attached.
    func opened() {
        channel.writeAndFlush(DataFrame.open(key, initialCredit: initialCredit), promise: nil)
    }

    func send(_ event: ChannelEvent) {
        channel.writeAndFlush(DataFrame(event), promise: nil)
    }

    func close(_ reason: DataFrame.CloseReason?) {
        if let reason {
            channel.writeAndFlush(DataFrame.close(reason), promise: nil)
        }
        channel.close(promise: nil)
    }
}
