import Hummingbird
import Logging
import ServiceLifecycle

/// The REST API (and later the web UI) on the REST port: a Hummingbird application whose routes
/// are grouped by resource. Runs as a service in the JobManager's service group.
public struct RESTServer: Service {
    private let application: Application<RouterResponder<BasicRequestContext>>

    public init(bind: String, port: Int, membership: Membership, metrics: JobManagerMetrics,
                jobs: JobRegistry, refreshInterval: Duration, logger: Logger) {
        let router = Self.makeRouter(membership: membership, metrics: metrics, jobs: jobs, refreshInterval: refreshInterval)
        application = Application(
            router: router,
            configuration: .init(address: .hostname(bind, port: port), serverName: "sluice"),
            onServerRunning: { channel in
                logger.info("REST server listening", metadata: ["address": "http://\(bind):\(channel.localAddress?.port ?? port)"])
            },
            logger: logger)
    }

    static func makeRouter(membership: Membership, metrics: JobManagerMetrics, jobs: JobRegistry,
                           refreshInterval: Duration) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        ClusterRoutes(membership: membership, jobCounts: { jobs.counts() }, refreshInterval: refreshInterval).register(on: router)
        JobRoutes(jobs: jobs).register(on: router)
        CheckpointRoutes(lookup: { id in jobs.job(id)?.checkpointStats() }).register(on: router)
        MetricsRoute(render: metrics.render).register(on: router)
        PrometheusTargetsRoute(taskManagers: { membership.snapshot().members.map(\.info) }).register(on: router)
        return router
    }

    public func run() async throws {
        try await application.run()
    }
}
