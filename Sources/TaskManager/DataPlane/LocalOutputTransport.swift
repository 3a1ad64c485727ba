/// Delivers an in-process channel's events straight to the consumer's sink, on the thread of the
/// current deliverer (the producer's task thread, or the consumer's thread while it attaches).
///
/// Owns nothing but references. Teardown of an in-process channel is always initiated inside
/// this TaskManager (release, fence, shutdown, or the consumer closing), so `close` tells the
/// sink nothing.
final class LocalOutputTransport: OutputTransport {
    let input: InputChannel
    let sink: any ChannelEventSink

    init(input: InputChannel, sink: any ChannelEventSink) {
        self.input = input
        self.sink = sink
    }

    func opened() {}

    func send(_ event: ChannelEvent) {
        sink.deliver(event, on: input)
    }

    func close(_ reason: DataFrame.CloseReason?) {}
}
