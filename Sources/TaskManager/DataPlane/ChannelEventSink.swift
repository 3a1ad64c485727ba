/// Where a consumer's events go: the consumer task's mailbox.
///
/// Called on arbitrary threads — a NIO event loop for a remote channel, the producer task's
/// thread (or the thread that attached) for an in-process one — but never concurrently for one
/// channel, and always in send order per channel. Implementations must not block; they hand the
/// event to the mailbox and return. Returning credit (`InputChannel.returnCredit`) from inside
/// `deliver` is allowed.
public protocol ChannelEventSink: AnyObject, Sendable {
    /// The next event of `channel`.
    func deliver(_ event: ChannelEvent, on channel: InputChannel)
    /// `channel` broke before its `.endOfPartition` (connection lost, producer released or fenced,
    /// protocol violation). Called at most once per channel, and never after `.endOfPartition` or
    /// after the consumer closed or released the channel itself.
    func channelFailed(_ channel: InputChannel, error: any Error)
}
