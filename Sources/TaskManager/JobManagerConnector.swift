import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SluiceCore
import SluiceProtocol
import SluiceTLS
import Synchronization

/// Keeps this TaskManager registered with the JobManager.
///
/// One task: connect → handshake → register → heartbeat until the session ends (connection
/// lost, JobManager restarted, heartbeat replies stop), then reconnect with capped exponential
/// back-off and jitter, forever, until graceful shutdown. Logs one line per session change.
public struct JobManagerConnector: Service {
    public struct Settings: Sendable {
        public var jobManager: HostPort
        public var clusterID: String
        public var secret: String
        public var maxFrameBytes: Int
        public var handshakeTimeout: Duration
        public var heartbeatInterval: Duration
        /// This TaskManager's own `heartbeat.timeout-ms`: it declares the JobManager lost after
        /// the longer of this and the JobManager's timeout (sent at registration).
        public var heartbeatTimeout: Duration
        public var reconnectInitial: Duration
        public var reconnectMaximum: Duration
        /// Mutual TLS for the connection to the JobManager; nil for plaintext.
        public var tls: ClusterTLS?
    }

    private let settings: Settings
    private let identity: TaskManagerIdentity
    private let executor: TaskExecutor
    private let reports: TaskReportQueue
    private let logger: Logger

    public init(settings: Settings, identity: TaskManagerIdentity, executor: TaskExecutor, reports: TaskReportQueue, logger: Logger) {
        self.settings = settings
        self.identity = identity
        self.executor = executor
        self.reports = reports
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await connectUntilShutdown()
        } catch is CancellationError where Task.isShuttingDownGracefully {
            // SIGTERM/SIGINT: the expected way to stop, not an error (the process exits 0).
            logger.info("left the JobManager: shutting down")
        }
    }

    private func connectUntilShutdown() async throws {
        try await cancelWhenGracefulShutdown {
            var backoff = Backoff(initial: settings.reconnectInitial, maximum: settings.reconnectMaximum, jitter: 0.2)
            var failedAttempts = 0
            while !Task.isCancelled {
                do {
                    try await session(onRegistered: {
                        backoff.reset()
                        failedAttempts = 0
                    })
                    logger.warning("session with JobManager ended; reconnecting", metadata: ["jobmanager": "\(settings.jobManager)"])
                } catch is CancellationError {
                    return
                } catch let error as HandshakeError where error.isPermanent {
                    // A wrong secret, cluster id or release never heals by retrying: stop loudly.
                    logger.critical("JobManager refused this TaskManager; fix the configuration and restart",
                                    metadata: ["jobmanager": "\(settings.jobManager)", "error": "\(error)"])
                    throw error
                } catch {
                    failedAttempts += 1
                    // The first failure and then every tenth: a JobManager down for a while must not flood the log.
                    if failedAttempts == 1 || failedAttempts % 10 == 0 {
                        logger.warning("cannot reach JobManager; retrying with back-off",
                                       metadata: ["jobmanager": "\(settings.jobManager)", "error": "\(error)",
                                                  "attempts": "\(failedAttempts)"])
                    }
                }
                try await Task.sleep(for: backoff.next())
            }
        }
    }

    /// One connection's life. Throws why it ended; returns when the JobManager said goodbye.
    private func session(onRegistered: () -> Void) async throws {
        let maxFrameBytes = settings.maxFrameBytes
        let tls = settings.tls, logger = self.logger
        let connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(2))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: settings.jobManager.host, port: settings.jobManager.port) { (channel: any Channel) -> EventLoopFuture<EnvelopeChannel> in
                if let tls {
                    do { try tls.addClientHandlers(to: channel, logger: logger) } catch { return channel.eventLoop.makeFailedFuture(error) }
                }
                return EnvelopeChannel.framed(channel, maxFrameBytes: maxFrameBytes)
            }
        try await connection.executeThenClose { inbound, outbound in
            var iterator = inbound.makeAsyncIterator()
            let handshake = ClientHandshake(clusterID: settings.clusterID, secret: settings.secret,
                                            role: .taskManager, peerName: identity.id)
            let jobManagerID = try await HandshakeDriver.connect(handshake, on: connection.channel, inbound: &iterator,
                                                                 outbound: outbound, timeout: settings.handshakeTimeout)
            try await outbound.write(.with(.registerTaskManager(registration())))
            guard let reply = try await iterator.next() else { throw HandshakeError.connectionClosed }
            guard case .registerTaskManagerAck(let ack)? = reply.body else {
                throw ConnectorError.unexpectedMessage("\(reply.bodyName) instead of RegisterTaskManagerAck")
            }
            guard ack.accepted else { throw ConnectorError.registrationRefused(ack.message) }
            onRegistered()
            // Tasks belong to the JobManager session that deployed them; when it ends they are
            // cancelled, and the JobManager redeploys them as a new attempt from a checkpoint.
            defer { executor.cancelAll(reason: "lost the connection to the JobManager") }
            let interval = ack.heartbeatIntervalMs > 0 ? Duration.milliseconds(ack.heartbeatIntervalMs) : settings.heartbeatInterval
            // Never sooner than the JobManager gives up on this TaskManager; a longer own timeout
            // keeps tasks running through a longer silence (their sinks' fences still stop any
            // write once the JobManager has restarted them elsewhere).
            let timeout = max(ack.heartbeatTimeoutMs > 0 ? Duration.milliseconds(ack.heartbeatTimeoutMs) : interval * 5,
                              settings.heartbeatTimeout)
            logger.info("registered with JobManager", metadata: [
                "jobmanager": "\(settings.jobManager)", "jobmanager-id": "\(jobManagerID)",
                "slots": "\(identity.slots)", "data-port": "\(identity.dataPort)",
                "metrics-port": "\(identity.metricsPort)"])
            let channel = connection.channel
            try await exchangeHeartbeats(inbound: &iterator, outbound: outbound, interval: interval, timeout: timeout,
                                         close: { channel.close(promise: nil) })
        }
    }

    /// Sends heartbeats every `interval` and reads the JobManager's messages until the session ends:
    /// the JobManager says goodbye, the connection closes, or no reply came for `timeout`.
    ///
    /// The silence is watched on its own: over a partitioned link the reader waits for ever (no
    /// byte and no FIN arrive) and writes can block once the socket's buffer is full, so a check
    /// inside either would never run. On timeout the watchdog closes the connection (`close`),
    /// which ends the reader and fails the pending writes; the session then ends with
    /// `heartbeatTimeout` and the TaskManager cancels its tasks (they are zombies by now: the
    /// JobManager has declared this TaskManager lost and redeploys them elsewhere).
    private func exchangeHeartbeats(inbound: inout EnvelopeIterator, outbound: EnvelopeWriter,
                                    interval: Duration, timeout: Duration, close: @escaping @Sendable () -> Void) async throws {
        let lastReply = LastReply()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: min(interval, timeout / 4))
                    let silence = lastReply.age
                    if silence > timeout {
                        lastReply.expire(after: silence)
                        close()
                        return
                    }
                }
            }
            group.addTask {
                while true {
                    try await outbound.write(.with(.heartbeat(heartbeat())))
                    try await Task.sleep(for: interval)
                }
            }
            group.addTask { [reports] in
                while let report = await reports.next() {
                    do {
                        try await outbound.write(report)
                    } catch {
                        reports.putBack(report)  // the next session delivers it
                        throw error
                    }
                }
            }
            defer { group.cancelAll() }
            do {
                try await readMessages(from: &inbound, lastReply: lastReply)
            } catch {
                if let silence = lastReply.expiredAfter { throw ConnectorError.heartbeatTimeout(silence) }
                throw error
            }
            if let silence = lastReply.expiredAfter { throw ConnectorError.heartbeatTimeout(silence) }
            throw HandshakeError.connectionClosed
        }
    }

    /// Handles the JobManager's messages until the connection ends (returns) or one is refused (throws).
    private func readMessages(from inbound: inout EnvelopeIterator, lastReply: LastReply) async throws {
        while let envelope = try await inbound.next() {
            switch envelope.body {
            case .heartbeatAck?:
                lastReply.touch()
            case .disconnect(let disconnect)?:
                throw ConnectorError.disconnected(disconnect.reason)
            case .deployTask(let deployment)?:
                // Deploying connects data channels and may wait for producers: never block the reader.
                // Not a child of this session: a deployed task outlives a JobManager reconnect.
                Task { [executor] in await executor.deploy(deployment) }
            case .cancelTask(let cancellation)?:
                executor.cancel(cancellation)
            case .triggerCheckpoint(let trigger)?:
                executor.triggerCheckpoint(trigger)
            case .notifyCheckpointComplete(let notice)?:
                executor.checkpointCompleted(notice)
            case .sinkPreviewRequest(let request)?:
                // libpq blocks: answer off the connection's reader; the reply goes out with the reports.
                let defaultURL = executor.postgresURL
                DispatchQueue.global().async { [reports, logger] in
                    reports.send(.with(.sinkPreviewReply(SinkPreviewQuery.answer(request, defaultURL: defaultURL, logger: logger))))
                }
            case .notifyCheckpointAborted(let notice)?:
                // Tasks keep no per-checkpoint resources beyond alignment, which the next barrier supersedes.
                logger.debug("checkpoint aborted", metadata: ["job": "\(notice.jobID)", "attempt": "\(notice.attempt)",
                                                              "checkpoint": "\(notice.checkpointID)", "reason": "\(notice.reason)"])
            default:
                throw ConnectorError.unexpectedMessage(envelope.bodyName)
            }
        }
    }

    private func registration() -> _ProtoRegisterTaskManager {
        var message = _ProtoRegisterTaskManager()
        message.taskManagerID = identity.id
        message.host = identity.host
        message.dataPort = UInt32(identity.dataPort)
        message.metricsPort = UInt32(identity.metricsPort)
        message.slots = UInt32(identity.slots)
        message.pid = UInt32(identity.pid)
        message.startedAtMs = UInt64(identity.startedAtEpochMillis)
        return message
    }

    private func heartbeat() -> _ProtoHeartbeat {
        var message = _ProtoHeartbeat()
        message.taskManagerID = identity.id
        message.sentAtMs = UInt64(Date().timeIntervalSince1970 * 1000)
        message.freeSlots = UInt32(executor.freeSlots)
        message.tasks = executor.statuses()
        // The web UI's TaskManager list shows these; the full series are on the TaskManager's /metrics.
        message.metrics.recordsIn = message.tasks.reduce(0) { $0 &+ $1.recordsIn }
        message.metrics.recordsOut = message.tasks.reduce(0) { $0 &+ $1.recordsOut }
        message.metrics.bytesIn = message.tasks.reduce(0) { $0 &+ $1.bytesIn }
        message.metrics.bytesOut = message.tasks.reduce(0) { $0 &+ $1.bytesOut }
        message.metrics.rssBytes = UInt64(max(0, ProcessMetrics.residentBytes() ?? 0))
        message.metrics.cpuSeconds = ProcessMetrics.cpuSeconds()
        return message
    }
}

/// When the JobManager last answered (written by the reader, read by the watchdog), and whether the
/// watchdog gave up on it.
private final class LastReply: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    private let expired = Mutex<Duration?>(nil)
    func touch() { instant.withLock { $0 = .now } }
    var age: Duration { ContinuousClock.now - instant.withLock { $0 } }
    /// The watchdog found `silence` past the timeout (and closed the connection).
    func expire(after silence: Duration) { expired.withLock { $0 = silence } }
    var expiredAfter: Duration? { expired.withLock { $0 } }
}
