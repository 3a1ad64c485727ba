import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import SluiceCore

/// The TaskManager's Prometheus endpoint: `GET /metrics` on its own port, nothing else.
///
/// Binds in `init` (like the data port) so the real port is known before the TaskManager
/// registers and can be sent in `RegisterTaskManager.metrics_port`. Requests are answered on
/// NIO event loops; `render` must therefore be cheap and thread-safe (it only reads atomics and
/// formats text). A plain NIO HTTP/1 server rather than Hummingbird: the TaskManager serves a
/// single read-only route and needs the bound port synchronously.
public final class MetricsHTTPServer: Service, Sendable {
    /// The bound port (the real one when 0 was asked for).
    public let port: Int
    private let server: any Channel
    private let logger: Logger

    /// Binds `bind:port` (0 picks a free port). Throws `BindError` if it cannot.
    public init(bind: String, port: Int, logger: Logger, render: @escaping @Sendable () -> String) async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(MetricsHTTPHandler(render: render))
                }
            }
        do {
            server = try await bootstrap.bind(host: bind, port: port).get()
        } catch {
            throw BindError(service: "the metrics endpoint", address: "\(bind):\(port)",
                            setting: "taskmanager.metrics-port or SLUICE_TASKMANAGER_METRICS_PORT", underlying: error)
        }
        self.port = server.localAddress?.port ?? port
        self.logger = logger
    }

    /// Serves until graceful shutdown (or cancellation), then closes the port.
    public func run() async throws {
        logger.info("metrics endpoint listening", metadata: ["metrics-port": "\(port)"])
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Closes the listening port. Idempotent.
    public func shutdown() async {
        try? await server.close()
    }
}
