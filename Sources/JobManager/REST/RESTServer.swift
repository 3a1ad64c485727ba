import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle
import SluiceCatalog
import SluiceCore
import SluiceTLS

/// The REST API and the web UI on the REST port: a Hummingbird application whose routes are
/// grouped by resource. Runs as a service in the JobManager's service group.
///
/// With a `token`, mutating requests need `Authorization: Bearer <token>` (`RESTTokenMiddleware`).
public struct RESTServer: Service {
    /// What the REST routes read besides membership and jobs.
    public struct Settings: Sendable {
        public var refreshInterval: Duration
        /// The REST token (`rest.token-file`); nil leaves submit/cancel/stop open.
        public var token: String?

        public init(refreshInterval: Duration, token: String? = nil) {
            self.refreshInterval = refreshInterval
            self.token = token
        }
    }

    private let application: Application<RouterResponder<BasicRequestContext>>

    /// `tls` serves HTTPS when its `restMode` is not `.off` (`rest.tls`); nil or `.off` = HTTP.
    public init(bind: String, port: Int, membership: Membership, metrics: JobManagerMetrics,
                jobs: JobRegistry, settings: Settings, tls: ClusterTLS? = nil, logger: Logger) {
        let router = Self.makeRouter(membership: membership, metrics: metrics, jobs: jobs, settings: settings, logger: logger)
        let https = tls.flatMap { $0.restMode == .off ? nil : $0 }
        let scheme = https == nil ? "http" : "https"
        let mode = https.map { $0.restMode == .mutual ? "mutual TLS 1.3 (clients need a certificate of the cluster CA)" : "TLS 1.3" } ?? "plain HTTP"
        application = Application(
            router: router,
            server: https.map { HTTPServerBuilder.https($0) } ?? .http1(),
            configuration: .init(address: .hostname(bind, port: port), serverName: "sluice"),
            onServerRunning: { channel in
                logger.info("REST server listening", metadata: ["address": "\(scheme)://\(bind):\(channel.localAddress?.port ?? port)",
                                                                 "tls": "\(mode)"])
            },
            logger: logger)
        if settings.token == nil {
            logger.warning("rest.token-file is not set: anyone who reaches the REST port can submit, cancel and stop jobs")
        }
    }

    static func makeRouter<Context: RequestContext>(context: Context.Type = BasicRequestContext.self, membership: Membership,
                                                    metrics: JobManagerMetrics, jobs: JobRegistry, settings: Settings,
                                                    logger: Logger) -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: JSONErrorMiddleware())
        router.add(middleware: RESTTokenMiddleware(token: settings.token))
        WebUIRoutes().register(on: router)
        ClusterRoutes(membership: membership, jobCounts: { jobs.counts() }, refreshInterval: settings.refreshInterval,
                      tokenRequired: settings.token != nil).register(on: router)
        JobRoutes(jobs: jobs).register(on: router)
        CheckpointRoutes(lookup: { id in jobs.job(id)?.checkpointStats() }).register(on: router)
        let reader = SinkPreviewReader(catalog: BuiltInKinds.catalog, membership: membership)
        JobInsightRoutes(lookup: { id in jobs.job(id)?.snapshot() }, previews: { await reader.previews(of: $0) }).register(on: router)
        MetricsRoute(render: metrics.render).register(on: router)
        PrometheusTargetsRoute(taskManagers: { membership.snapshot().members.map(\.info) }).register(on: router)
        return router
    }

    public func run() async throws {
        try await application.run()
    }
}
