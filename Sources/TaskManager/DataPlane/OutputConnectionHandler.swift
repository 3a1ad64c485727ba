import Logging
import NIOCore
import SluiceProtocol

/// The producer-side end of one data connection, accepted on the data port.
///
/// Runs on the connection's event loop; all its state is confined there. Drives the shared
/// `ServerHandshake` (role DATA_CHANNEL), then takes exactly one OPEN, attaches the connection
/// to the key's `OutputChannel` through the registry (rendezvous; fencing and release are
/// checked there) and echoes the OPEN. After that only CREDIT and CLOSE are accepted. Anything
/// else, a bad frame, or no OPEN within the handshake timeout closes this connection with a
/// logged reason; the data port keeps serving. When the connection closes, its output channel
/// closes (a sender blocked on credit throws `.closed`).
final class OutputConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = DataFrame
    typealias OutboundOut = DataFrame

    private enum State {
        case handshaking(ServerHandshake)
        case awaitingOpen
        case attached(OutputChannel)
        case closed
    }

    private var state: State
    private let registry: ChannelRegistry
    private let openTimeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var logger: Logger

    init(handshake: ServerHandshake, registry: ChannelRegistry, openTimeout: Duration, logger: Logger) {
        self.state = .handshaking(handshake)
        self.registry = registry
        self.openTimeout = openTimeout.nioTimeAmount
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        logger[metadataKey: "remote"] = "\(context.remoteAddress?.description ?? "unknown")"
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: openTimeout) {
            if case .attached = self.state { return }
            self.abandon(context, "no authenticated OPEN within the handshake timeout (rpc.handshake-timeout-ms)")
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch state {
        case .handshaking(var handshake):
            guard case .envelope(let envelope) = frame else {
                return abandon(context, "\(frame.kind) frame before the handshake finished")
            }
            switch handshake.received(envelope) {
            case .send(let reply):
                state = .handshaking(handshake)
                context.writeAndFlush(wrapOutboundOut(.envelope(reply)), promise: nil)
            case .accept(let reply, let peer):
                state = .awaitingOpen
                logger[metadataKey: "peer"] = "\(peer.name)"
                context.writeAndFlush(wrapOutboundOut(.envelope(reply)), promise: nil)
            case .reject(let reply, let error):
                if let reply { context.writeAndFlush(wrapOutboundOut(.envelope(reply)), promise: nil) }
                abandon(context, "handshake failed: \(error)")
            }
        case .awaitingOpen:
            guard case .open(let key, let initialCredit) = frame else {
                return violation(context, "expected OPEN after the handshake, got \(frame.kind)")
            }
            open(context, key: key, initialCredit: initialCredit)
        case .attached(let output):
            switch frame {
            case .credit(let credit):
                output.grant(Int(credit))
            case .close(let reason):
                state = .closed
                logger.debug("consumer closed the data channel", metadata: ["reason": "\(reason)"])
                output.close(.closed, reason: nil)
                context.close(promise: nil)
            case .envelope, .open, .buffer, .watermark, .watermarkStatus, .barrier, .endOfPartition:
                violation(context, "a consumer may only send CREDIT or CLOSE, got \(frame.kind)")
            }
        case .closed:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        abandon(context, "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        if case .attached(let output) = state, output.isUnfinished {
            logger.warning("data connection lost before END_OF_PARTITION was sent", metadata: output.key.logMetadata)
        }
        state = .closed
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    private func open(_ context: ChannelHandlerContext, key: ChannelKey, initialCredit: UInt32) {
        var metadata = key.logMetadata
        metadata["initial-credit"] = "\(initialCredit)"
        let output: OutputChannel
        switch registry.outputToAttach(key) {
        case .failure(let refusal):
            logger.info("refused data channel", metadata: metadata.merging(["reason": "\(refusal)"]) { $1 })
            return refuse(context, refusal.closeReason(for: key))
        case .success(let found):
            output = found
        }
        let transport = RemoteOutputTransport(channel: context.channel, key: key, initialCredit: initialCredit)
        do {
            try output.attach(transport, initialCredit: Int(initialCredit))
        } catch {
            logger.info("refused data channel", metadata: metadata.merging(["reason": "\(error)"]) { $1 })
            let code: DataFrame.CloseReason.Code = error == .cancelled ? .released : .refused
            return refuse(context, .init(code, "\(error)"))
        }
        cancelDeadline()
        state = .attached(output)
        // Whatever ends the connection (peer, error, release) ends the channel; fires at once if
        // the connection already closed during the attach.
        context.channel.closeFuture.whenComplete { _ in output.close(.closed, reason: nil) }
        logger.debug("data channel attached", metadata: metadata)
    }

    private func refuse(_ context: ChannelHandlerContext, _ reason: DataFrame.CloseReason) {
        state = .closed
        context.writeAndFlush(wrapOutboundOut(.close(reason)), promise: nil)
        context.close(promise: nil)
    }

    private func violation(_ context: ChannelHandlerContext, _ what: String) {
        guard !isClosed else { return }
        logger.warning("closing data connection: protocol violation", metadata: ["error": "\(what)"])
        refuse(context, .init(.protocolViolation, what))
    }

    /// Closes without a CLOSE frame (the peer is not authenticated, or the stream is broken).
    private func abandon(_ context: ChannelHandlerContext, _ reason: String) {
        guard !isClosed else { return }
        state = .closed
        cancelDeadline()
        logger.warning("closing data connection", metadata: ["error": "\(reason)"])
        context.close(promise: nil)
    }

    private var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }
}
