import Logging
import NIOCore
import SluiceProtocol

/// The consumer-side end of one data connection, which the consumer opened to the producer's
/// data port.
///
/// Runs on the connection's event loop; all its state is confined there. Drives the shared
/// `ClientHandshake` (role DATA_CHANNEL), sends OPEN with the initial credit, and completes
/// `opened` when the producer echoes it (or fails it with why not). Then it delivers every data
/// frame to the sink, in arrival order, on the event loop. It counts the credit it granted and
/// treats a BUFFER beyond it as a protocol violation. A connection that ends before
/// END_OF_PARTITION, other than by the consumer's own close, is reported once through
/// `sink.channelFailed`.
final class InputConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = DataFrame
    typealias OutboundIn = DataFrame
    typealias OutboundOut = DataFrame

    private enum State {
        case handshaking(ClientHandshake)
        case awaitingOpen
        /// `credit`: buffers the producer may still send.
        case open(credit: Int)
        case ended
        case closed
    }

    private var state: State
    private let input: InputChannel
    private let link: RemoteInputLink
    private let sink: any ChannelEventSink
    private let initialCredit: UInt32
    private let opened: EventLoopPromise<Void>
    private let openTimeout: TimeAmount
    private var deadline: Scheduled<Void>?
    /// Carries the channel key and the producer's address as metadata.
    private let logger: Logger

    init(handshake: ClientHandshake, input: InputChannel, link: RemoteInputLink, sink: any ChannelEventSink,
         initialCredit: UInt32, opened: EventLoopPromise<Void>, openTimeout: Duration, logger: Logger) {
        self.state = .handshaking(handshake)
        self.input = input
        self.link = link
        self.sink = sink
        self.initialCredit = initialCredit
        self.opened = opened
        self.openTimeout = openTimeout.nioTimeAmount
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: openTimeout) {
            guard self.isOpening else { return }
            self.failBeforeOpen(context, .timedOut("no handshake and OPEN confirmation from \(context.remoteAddress?.description ?? "the producer") within \(self.openTimeout)"))
        }
        if case .handshaking(var handshake) = state {
            let offer = handshake.start()
            state = .handshaking(handshake)
            context.writeAndFlush(wrapOutboundOut(.envelope(offer)), promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch state {
        case .handshaking(var handshake):
            guard case .envelope(let envelope) = frame else {
                return failBeforeOpen(context, .protocolViolation("\(frame.kind) frame during the handshake"))
            }
            switch handshake.received(envelope) {
            case .send(let reply):
                state = .handshaking(handshake)
                context.writeAndFlush(wrapOutboundOut(.envelope(reply)), promise: nil)
            case .accepted:
                state = .awaitingOpen
                context.writeAndFlush(wrapOutboundOut(.open(input.key, initialCredit: initialCredit)), promise: nil)
            case .failed(let error):
                failBeforeOpen(context, .handshake(error))
            case .abort(let notice, let error):
                context.writeAndFlush(wrapOutboundOut(.envelope(notice)), promise: nil)
                failBeforeOpen(context, .handshake(error))
            }
        case .awaitingOpen:
            switch frame {
            case .open(let key, _) where key == input.key:
                state = .open(credit: Int(initialCredit))
                cancelDeadline()
                link.bind(context.channel)
                opened.succeed()
            case .close(let reason):
                failBeforeOpen(context, reason.openRefusal(for: input.key))
            default:
                failBeforeOpen(context, .protocolViolation("expected the OPEN confirmation, got \(frame.kind)"))
            }
        case .open(var credit):
            switch frame {
            case .buffer:
                guard credit > 0 else {
                    return failAfterOpen(context, .protocolViolation("BUFFER without credit"), tellProducer: true)
                }
                credit -= 1
                state = .open(credit: credit)
                deliver(frame)
            case .watermark, .watermarkStatus, .barrier:
                deliver(frame)
            case .endOfPartition:
                state = .ended
                deliver(frame)
            case .close(let reason):
                failAfterOpen(context, reason.channelFailure(for: input.key), tellProducer: false)
            case .envelope, .open, .credit:
                failAfterOpen(context, .protocolViolation("a producer may not send \(frame.kind)"), tellProducer: true)
            }
        case .ended:
            // The channel is complete; the producer may only say goodbye.
            if case .close = frame { return }
            logger.warning("closing data connection: \(frame.kind) after END_OF_PARTITION")
            state = .closed
            context.close(promise: nil)
        case .closed:
            break
        }
    }

    /// Counts credit on its way out (written by `RemoteInputLink` through the pipeline).
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .credit(let granted) = unwrapOutboundIn(data), case .open(let credit) = state {
            state = .open(credit: credit > Int.max - Int(granted) ? Int.max : credit + Int(granted))
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let failure: DataPlaneError = error is DataFrameError
            ? .protocolViolation("\(error)") : .connectionLost("\(error)")
        switch state {
        case .handshaking, .awaitingOpen:
            failBeforeOpen(context, failure)
        case .open:
            failAfterOpen(context, failure, tellProducer: false)
        case .ended, .closed:
            state = .closed
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .handshaking:
            failBeforeOpen(context, .handshake(.connectionClosed))
        case .awaitingOpen:
            failBeforeOpen(context, .connectionLost("the producer's TaskManager closed the connection before confirming OPEN"))
        case .open:
            failAfterOpen(context, .connectionLost("connection closed before END_OF_PARTITION"), tellProducer: false)
        case .ended, .closed:
            state = .closed
        }
        _ = link.detach()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
        // Never leave the connecting task waiting; a no-op once `opened` completed.
        opened.fail(DataPlaneError.connectionLost("connection closed"))
    }

    private func deliver(_ frame: DataFrame) {
        if let event = frame.channelEvent { sink.deliver(event, on: input) }
    }

    private func failBeforeOpen(_ context: ChannelHandlerContext, _ error: DataPlaneError) {
        state = .closed
        cancelDeadline()
        opened.fail(error)
        context.close(promise: nil)
    }

    private func failAfterOpen(_ context: ChannelHandlerContext, _ error: DataPlaneError, tellProducer: Bool) {
        state = .closed
        // Before closing: the close re-enters `channelInactive`, which detaches too.
        let closedByConsumer = link.detach()
        if tellProducer {
            context.writeAndFlush(wrapOutboundOut(.close(.init(.protocolViolation, "\(error)"))), promise: nil)
        }
        context.close(promise: nil)
        guard !closedByConsumer else { return }
        logger.warning("data channel failed", metadata: ["error": "\(error)"])
        sink.channelFailed(input, error: error)
    }

    private var isOpening: Bool {
        switch state {
        case .handshaking, .awaitingOpen: true
        case .open, .ended, .closed: false
        }
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}
