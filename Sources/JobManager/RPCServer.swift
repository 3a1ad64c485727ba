import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SluiceCore
import SluiceProtocol
import SluiceTLS

/// The JobManager's control-plane listener.
///
/// Owns the listening socket. Each accepted connection runs as its own child task: framed by
/// `FrameDecoder`/`FrameEncoder`, authenticated by `ServerHandshake`, then served by
/// `TaskManagerSession` (role TaskManager) or answered once (role status client). Bad input
/// closes only that connection, with a logged reason and a counted metric; the listener and
/// every other connection go on. Stops on graceful shutdown.
public final class RPCServer: Service {
    public struct Settings: Sendable {
        public var bind: String
        public var port: Int
        public var clusterID: String
        public var secret: String
        public var serverID: String
        public var maxFrameBytes: Int
        public var handshakeTimeout: Duration
        public var heartbeatInterval: Duration
        public var heartbeatTimeout: Duration
        /// Mutual TLS for every RPC connection; nil for plaintext.
        public var tls: ClusterTLS?
    }

    private let settings: Settings
    private let membership: Membership
    private let metrics: JobManagerMetrics
    private let jobs: JobRegistry
    private let logger: Logger

    public init(settings: Settings, membership: Membership, metrics: JobManagerMetrics, jobs: JobRegistry, logger: Logger) {
        self.settings = settings
        self.membership = membership
        self.metrics = metrics
        self.jobs = jobs
        self.logger = logger
    }

    public func run() async throws {
        let maxFrameBytes = settings.maxFrameBytes
        let tls = settings.tls, logger = self.logger
        let server: NIOAsyncChannel<EnvelopeChannel, Never>
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: settings.bind, port: settings.port) { (channel: any Channel) -> EventLoopFuture<EnvelopeChannel> in
                    if let tls {
                        do { try tls.addServerHandlers(to: channel, logger: logger) } catch { return channel.eventLoop.makeFailedFuture(error) }
                    }
                    return EnvelopeChannel.framed(channel, maxFrameBytes: maxFrameBytes)
                }
        } catch {
            throw BindError(service: "RPC", address: "\(settings.bind):\(settings.port)",
                            setting: "--rpc-port or jobmanager.rpc-port", underlying: error)
        }
        logger.info("RPC server listening", metadata: ["address": "\(settings.bind):\(server.channel.localAddress?.port ?? settings.port)",
                                                       "tls": "\(tls == nil ? "off" : "mutual, TLS 1.3")"])
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await self.serve(connection) }
                        }
                    }
                }
            }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            // SIGTERM/SIGINT: the expected way to stop, not an error (the process exits 0).
            logger.info("RPC server stopped")
        }
    }

    private func serve(_ connection: EnvelopeChannel) async {
        metrics.connectionAccepted()
        let session = membership.makeSession()
        var logger = self.logger
        logger[metadataKey: "remote"] = "\(connection.channel.remoteAddress?.description ?? "unknown")"
        logger[metadataKey: "session"] = "\(session)"
        // Every connection that ends before its handshake completes is counted exactly once.
        var authenticated = false
        do {
            try await connection.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                let handshake = ServerHandshake(clusterID: settings.clusterID, secret: settings.secret,
                                                serverID: settings.serverID,
                                                acceptedRoles: [.taskManager, .statusClient])
                let peer = try await HandshakeDriver.accept(handshake, on: connection.channel, inbound: &iterator,
                                                            outbound: outbound, timeout: settings.handshakeTimeout)
                authenticated = true
                logger[metadataKey: "peer"] = "\(peer.name)"
                switch peer.role {
                case .statusClient:
                    try await serveStatusClient(inbound: &iterator, outbound: outbound)
                default:
                    var taskManager = TaskManagerSession(
                        session: session, channel: connection.channel, membership: membership, settings: settings,
                        status: { self.clusterStatus() }, jobs: jobs, logger: logger)
                    try await taskManager.run(inbound: &iterator, outbound: outbound)
                }
            }
        } catch let error as FrameError {
            reject(error.metricLabel, error, logger)
        } catch let error as HandshakeError {
            reject(error.metricLabel, error, logger)
        } catch let error as TaskManagerSession.ProtocolError {
            reject("protocol_violation", error, logger)
        } catch where !authenticated {
            reject(HandshakeError.connectionClosed.metricLabel, error, logger)
        } catch {
            logger.info("RPC connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func reject(_ reason: String, _ error: any Error, _ logger: Logger) {
        metrics.connectionRejected(reason: reason)
        logger.warning("closing RPC connection", metadata: ["reason": "\(reason)", "error": "\(error)"])
    }

    /// A status client asks, gets one answer per request, and may ask again.
    private func serveStatusClient(inbound: inout EnvelopeIterator, outbound: EnvelopeWriter) async throws {
        while let envelope = try await inbound.next() {
            guard case .clusterStatusRequest? = envelope.body else {
                throw TaskManagerSession.ProtocolError.unexpected(envelope.bodyName, expected: "ClusterStatusRequest")
            }
            try await outbound.write(.with(.clusterStatus(clusterStatus())))
        }
    }

    func clusterStatus() -> _ProtoClusterStatus {
        let snapshot = membership.snapshot()
        let overview = ClusterOverview(membership: snapshot, jobs: jobs.counts())
        var status = _ProtoClusterStatus()
        status.version = SluiceVersion.engine
        status.clusterID = settings.clusterID
        status.slotsTotal = UInt32(overview.slotsTotal)
        status.slotsAvailable = UInt32(overview.slotsAvailable)
        status.jobsRunning = UInt32(overview.jobs.running)
        status.taskManagers = snapshot.members.map { member in
            var tm = _ProtoTaskManagerStatus()
            tm.taskManagerID = member.info.id
            tm.host = member.info.host
            tm.dataPort = UInt32(member.info.dataPort)
            tm.slots = UInt32(member.info.slots)
            tm.freeSlots = UInt32(member.freeSlots)
            tm.lastHeartbeatMs = UInt64(member.lastHeartbeatEpochMillis)
            return tm
        }
        return status
    }
}
