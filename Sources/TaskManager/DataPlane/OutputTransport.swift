/// Where an attached `OutputChannel` hands its events: a socket to a remote consumer
/// (`RemoteOutputTransport`) or a consumer's sink in this process (`LocalOutputTransport`).
///
/// `OutputChannel` calls it outside its lock, one deliverer at a time, in channel order.
/// Implementations never block.
protocol OutputTransport: AnyObject, Sendable {
    /// Called once, by the attaching thread, before any event.
    func opened()
    /// Hands one event to the consumer.
    func send(_ event: ChannelEvent)
    /// The channel ended on the producer side; `reason` is what to tell a remote consumer (nil
    /// when the consumer itself went away).
    func close(_ reason: DataFrame.CloseReason?)
}
