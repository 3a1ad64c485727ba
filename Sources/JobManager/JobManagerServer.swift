import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceTLS

/// A JobManager process: wires membership, the heartbeat monitor, the RPC server and the REST
/// server into one service group that shuts down gracefully on SIGTERM/SIGINT.
public struct JobManagerServer {
    public let serverID: String
    private let group: ServiceGroup

    public init(config: SluiceConfig, logger: Logger) throws {
        let secret = try config.requireSecret()
        serverID = "jm-\(UUID().uuidString.lowercased().prefix(8))"
        var logger = logger
        logger[metadataKey: "jobmanager"] = "\(serverID)"
        let metrics = JobManagerMetrics()
        let membership = Membership(heartbeatTimeout: config.heartbeat.timeout, metrics: metrics, logger: logger)
        let highAvailability = try HighAvailabilityStore(directory: config.durability.highAvailabilityDirectory, logger: logger)
        let jobs = JobRegistry(services: .init(membership: membership, metrics: metrics, highAvailability: highAvailability,
                                               checkpointsDirectory: config.durability.checkpointsDirectory),
                               logger: logger)
        jobs.recover()
        let tls = try config.tls.map { files throws(TLSError) in try ClusterTLS(files, restMode: config.jobManager.restTLS) }
        let rpc = RPCServer(
            settings: .init(bind: config.jobManager.bind, port: config.jobManager.rpcPort, clusterID: config.clusterID,
                            secret: secret, serverID: serverID, maxFrameBytes: config.rpc.maxFrameBytes,
                            handshakeTimeout: config.rpc.handshakeTimeout, heartbeatInterval: config.heartbeat.interval,
                            heartbeatTimeout: config.heartbeat.timeout,
                            tls: tls),
            membership: membership, metrics: metrics, jobs: jobs, logger: logger)
        let token = try config.restToken()
        let restBind = SluiceConfig.effectiveRESTBind(config.jobManager, tokenSet: token != nil)
        if let why = restBind.narrowed { logger.notice("REST API on loopback", metadata: ["reason": "\(why)"]) }
        let rest = RESTServer(bind: restBind.address, port: config.jobManager.restPort, membership: membership,
                              metrics: metrics, jobs: jobs,
                              settings: .init(refreshInterval: config.jobManager.restRefreshInterval, token: token),
                              tls: tls, logger: logger)
        let monitor = HeartbeatMonitor(membership: membership, checkInterval: config.heartbeat.interval / 4)
        group = ServiceGroup(configuration: .init(
            services: [.init(service: rpc), .init(service: rest), .init(service: monitor)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
    }

    public func run() async throws {
        try await group.run()
    }
}
