import Logging
import NIOCore
import NIOSSL

/// Logs why a TLS handshake failed (a plaintext peer, a certificate of another CA, an expired
/// one) with the peer's address, then passes the error on so the connection closes as before.
/// Sits right after the TLS handler; one per connection, on its event loop.
final class TLSFailureLogger: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let logger: Logger
    private let side: String
    private let hint: String

    init(logger: Logger, side: String,
         hint: String = "both ends need TLS on and a certificate of this cluster's CA (tls.ca-file), valid now") {
        self.logger = logger
        self.side = side
        self.hint = hint
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A peer that just closes the connection without a TLS close (a process stopping) is no refusal.
        if case NIOSSLError.uncleanShutdown = error {
            context.fireErrorCaught(error)
            return
        }
        if error is NIOSSLError || error is BoringSSLError {
            logger.warning("TLS handshake refused: \(error)", metadata: [
                "peer": "\(context.remoteAddress?.description ?? "unknown")", "connection": "\(side)",
                "hint": "\(hint)",
            ])
        }
        context.fireErrorCaught(error)
    }
}
