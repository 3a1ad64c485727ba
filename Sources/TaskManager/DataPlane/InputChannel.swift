/// Consumer side of one channel: the handle a consumer task keeps to return credit and to close.
///
/// Owns the consumer's end of the link to the producer (a connection, or the producer's
/// `OutputChannel` when both run in this TaskManager). Events arrive at the sink given to
/// `DataPlane.connectInput`, with this object as `channel`; they may start arriving before
/// `connectInput` returns. All methods are thread-safe and never block.
public final class InputChannel: Sendable {
    public let key: ChannelKey
    /// The consumer's input-channel index, as given to `connectInput`.
    public let index: Int
    private let link: any InputLink
    private let registry: ChannelRegistry

    init(key: ChannelKey, index: Int, link: any InputLink, registry: ChannelRegistry) {
        self.key = key
        self.index = index
        self.link = link
        self.registry = registry
    }

    /// The consumer processed `n` buffers; grants the producer `n` more. Ignored after close.
    public func returnCredit(_ n: Int = 1) {
        guard n > 0 else { return }
        link.returnCredit(n)
    }

    /// Ends the channel from the consumer side: the connection closes (a producer blocked in
    /// `send` throws `.closed` if it had not finished), the sink hears nothing more. Call it
    /// after `.endOfPartition`, or when the consumer task stops. Idempotent.
    public func close() {
        registry.remove(self)
        link.close()
    }

    /// Close without deregistering (the registry already dropped it).
    func closeLink() {
        link.close()
    }
}
