import NIOCore
import NIOHTTP1

/// One HTTP connection of the metrics endpoint: `GET /metrics` gets the Prometheus text, any
/// other path 404, any other method 405.
///
/// Runs on the connection's event loop. Keeps no state between requests except the request
/// head being answered; bodies of requests are ignored (a scrape has none).
final class MetricsHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let render: @Sendable () -> String
    private var head: HTTPRequestHead?

    init(render: @escaping @Sendable () -> String) {
        self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        let (status, body, type): (HTTPResponseStatus, String, String) =
            if request.method != .GET && request.method != .HEAD {
                (.methodNotAllowed, "only GET /metrics is served here\n", "text/plain; charset=utf-8")
            } else if path == "/metrics" {
                (.ok, render(), Self.contentType)
            } else {
                (.notFound, "not found: this port serves GET /metrics only\n", "text/plain; charset=utf-8")
            }
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", "\(buffer.readableBytes)")])
        let keepAlive = request.isKeepAlive
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
        let connection = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { connection.value.close(promise: nil) }
        }
    }
}
