import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceTLS

/// A TaskManager process: binds the data port and the metrics port, then keeps itself
/// registered with the JobManager; all run in one service group that stops gracefully on
/// SIGTERM/SIGINT.
public struct TaskManagerServer {
    public let identity: TaskManagerIdentity
    public let metrics: TaskManagerMetrics
    private let group: ServiceGroup

    public init(config: SluiceConfig, jobManager: HostPort, id: String?, logger: Logger) async throws {
        let secret = try config.requireSecret()
        let suffix = UUID().uuidString.lowercased().prefix(6)
        let provisionalID = id ?? "tm-\(suffix)"
        var logger = logger
        let host = config.taskManager.host ?? config.taskManager.bind
        let tls = try config.tls.map { files throws(TLSError) in try ClusterTLS(files) }
        let dataServer = try await DataPlane(
            bind: config.taskManager.bind, port: config.taskManager.dataPort, advertisedHost: host,
            clusterID: config.clusterID, secret: secret, taskManagerID: provisionalID,
            maxFrameBytes: config.rpc.maxFrameBytes, handshakeTimeout: config.rpc.handshakeTimeout, tls: tls, logger: logger)
        let taskManagerID = id ?? "\(host):\(dataServer.port)-\(suffix)"
        let metrics = TaskManagerMetrics(taskManagerID: taskManagerID)
        let metricsServer: MetricsHTTPServer
        do {
            metricsServer = try await MetricsHTTPServer(bind: config.taskManager.metricsBind, port: config.taskManager.metricsPort,
                                                        logger: logger, render: metrics.render)
        } catch {
            await dataServer.shutdown()
            throw error
        }
        self.metrics = metrics
        identity = TaskManagerIdentity(
            id: taskManagerID, host: host, dataPort: dataServer.port, metricsPort: metricsServer.port,
            slots: config.taskManager.slots, pid: Int(ProcessInfo.processInfo.processIdentifier),
            startedAtEpochMillis: Int64(Date().timeIntervalSince1970 * 1000))
        logger[metadataKey: "taskmanager"] = "\(identity.id)"
        let reports = TaskReportQueue()
        let workDirectory = "\(config.taskManager.workDirectory)/\(identity.id.replacingOccurrences(of: ":", with: "_"))"
        let executor = TaskExecutor(dataPlane: dataServer, workDirectory: workDirectory, connectors: config.connectors,
                                    slots: config.taskManager.slots, logger: logger, metrics: metrics, send: reports.send)
        let connector = JobManagerConnector(
            settings: .init(jobManager: jobManager, clusterID: config.clusterID, secret: secret,
                            maxFrameBytes: config.rpc.maxFrameBytes, handshakeTimeout: config.rpc.handshakeTimeout,
                            heartbeatInterval: config.heartbeat.interval, heartbeatTimeout: config.heartbeat.timeout,
                            reconnectInitial: config.taskManager.reconnectInitial,
                            reconnectMaximum: config.taskManager.reconnectMaximum, tls: tls),
            identity: identity, executor: executor, reports: reports, logger: logger)
        group = ServiceGroup(configuration: .init(
            services: [.init(service: dataServer), .init(service: metricsServer), .init(service: connector)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
    }

    public func run() async throws {
        try await group.run()
    }
}
