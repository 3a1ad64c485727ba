import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SluiceCore
import SluiceProtocol

/// The TaskManager's data port: where other TaskManagers open channels to this one's subtasks.
///
/// Bound before the TaskManager registers, so the port it advertises is real. Connections are
/// framed and authenticated like the control plane (role `DATA_CHANNEL`); record channels are
/// attached to authenticated connections by the streaming runtime.
public final class DataPlaneServer: Service {
    public let port: Int
    private let server: NIOAsyncChannel<EnvelopeChannel, Never>
    private let clusterID: String
    private let secret: String
    private let serverID: String
    private let handshakeTimeout: Duration
    private let logger: Logger

    public init(bind host: String, port: Int, clusterID: String, secret: String, serverID: String,
                maxFrameBytes: Int, handshakeTimeout: Duration, logger: Logger) async throws {
        do {
            server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { channel in
                    EnvelopeChannel.framed(channel, maxFrameBytes: maxFrameBytes)
                }
        } catch {
            throw BindError(service: "the data plane", address: "\(host):\(port)",
                            setting: "--data-port or taskmanager.data-port", underlying: error)
        }
        self.port = server.channel.localAddress?.port ?? port
        self.clusterID = clusterID
        self.secret = secret
        self.serverID = serverID
        self.handshakeTimeout = handshakeTimeout
        self.logger = logger
    }

    public func run() async throws {
        logger.info("data port listening", metadata: ["port": "\(port)"])
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                try await self.server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        }
    }

    private func serve(_ connection: EnvelopeChannel) async {
        let remote = connection.channel.remoteAddress?.description ?? "unknown"
        do {
            try await connection.executeThenClose { inbound, outbound in
                var iterator = inbound.makeAsyncIterator()
                let handshake = ServerHandshake(clusterID: clusterID, secret: secret, serverID: serverID,
                                                acceptedRoles: [.dataChannel])
                let peer = try await HandshakeDriver.accept(handshake, on: connection.channel, inbound: &iterator,
                                                            outbound: outbound, timeout: handshakeTimeout)
                logger.debug("data channel connected", metadata: ["peer": "\(peer.name)", "remote": "\(remote)"])
                while let envelope = try await iterator.next() {
                    throw HandshakeError.protocolViolation("no \(envelope.bodyName) on a data channel")
                }
            }
        } catch {
            logger.warning("closing data connection", metadata: ["remote": "\(remote)", "error": "\(error)"])
        }
    }
}
