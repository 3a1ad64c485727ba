import HummingbirdCore
import Logging
import NIOCore
import SluiceTLS

/// A connection on the REST port served over HTTPS (`rest.tls`): puts the TLS handler (and the
/// logger of refused handshakes, so a client without the cluster CA is a log line, not silence)
/// in front of Hummingbird's HTTP/1 pipeline. Hummingbird's own TLS channel has no place for
/// that logger. A value shared by every accepted connection; setup runs on its event loop.
struct RESTTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let tls: ClusterTLS

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try tls.addRESTHandlers(to: channel, logger: logger)
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension RESTTLSChannel: HTTPChannelHandler where Base: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { base.responder }
}

extension HTTPServerBuilder {
    /// HTTP/1 over the REST port's TLS from `tls`.
    static func https(_ tls: ClusterTLS) -> HTTPServerBuilder {
        .init { responder in RESTTLSChannel(base: HTTP1Channel(responder: responder), tls: tls) }
    }
}
