import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SluiceCore
import SluiceProtocol
import SluiceTLS

/// The TaskManager-to-TaskManager data plane: one per TaskManager process.
///
/// Owns the data port (a NIO server on the shared event-loop group) and the `ChannelRegistry` of
/// every output and input channel of this TaskManager. A channel connects one producer subtask's
/// output to one consumer subtask's input; the consumer opens it — over one TCP connection to
/// the producer's data port, or in-process when the producer runs here — and the producer sends
/// through its `OutputChannel`, with credit-based flow control. The wire format is in
/// `README.md` next to this file.
///
/// Threads: `outputChannel(for:)`, `release`, `fence` may be called from any thread; `send`
/// blocks its (task) thread; the frames themselves are read and written on NIO event loops,
/// never through Swift concurrency. Invariants: once an attempt is released or fenced (or the
/// data plane shut down) none of its channels is created or attached again; every channel of a
/// torn-down attempt is closed, and senders blocked on it throw `.cancelled`.
///
/// Runs as a `Service` (its `run` waits for graceful shutdown, then shuts down), or call
/// `shutdown()` directly.
public final class DataPlane: Service, Sendable {
    /// The bound data port (the real one when 0 was asked for).
    public let port: Int
    /// The host other TaskManagers reach this data port on.
    public let advertisedHost: String
    let registry: ChannelRegistry
    let settings: Settings
    let logger: Logger
    private let server: any Channel
    private let connections: ConnectionSet

    /// What outbound connections need to authenticate and frame.
    struct Settings: Sendable {
        var clusterID: String
        var secret: String
        var taskManagerID: String
        var maxFrameBytes: Int
        var handshakeTimeout: Duration
        /// Mutual TLS for every data connection, both ways; nil for plaintext.
        var tls: ClusterTLS?
    }

    /// Binds the data port on `bind:port` (0 picks a free port). Throws `BindError` if it cannot.
    public init(bind: String, port: Int, advertisedHost: String, clusterID: String, secret: String,
                taskManagerID: String, maxFrameBytes: Int, handshakeTimeout: Duration, tls: ClusterTLS? = nil, logger: Logger) async throws {
        let settings = Settings(clusterID: clusterID, secret: secret, taskManagerID: taskManagerID,
                                maxFrameBytes: maxFrameBytes, handshakeTimeout: handshakeTimeout, tls: tls)
        let registry = ChannelRegistry(maxFrameBytes: maxFrameBytes, logger: logger)
        let connections = ConnectionSet()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.add(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let handshake = ServerHandshake(clusterID: settings.clusterID, secret: settings.secret,
                                                    serverID: settings.taskManagerID, acceptedRoles: [.dataChannel])
                    try settings.tls?.addServerHandlers(to: channel, logger: logger)
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(ByteToMessageHandler(DataFrameDecoder(maxFrameBytes: settings.maxFrameBytes)))
                    try pipeline.addHandler(MessageToByteHandler(DataFrameEncoder()))
                    try pipeline.addHandler(OutputConnectionHandler(handshake: handshake, registry: registry,
                                                                    openTimeout: settings.handshakeTimeout, logger: logger))
                }
            }
        do {
            server = try await bootstrap.bind(host: bind, port: port).get()
        } catch {
            throw BindError(service: "the data plane", address: "\(bind):\(port)",
                            setting: "--data-port or taskmanager.data-port", underlying: error)
        }
        self.port = server.localAddress?.port ?? port
        self.advertisedHost = advertisedHost
        self.registry = registry
        self.connections = connections
        self.settings = settings
        self.logger = logger
    }

    /// Producer side: the output channel for `key`, created on first call. The consumer may
    /// attach before or after. For a fenced or released attempt, or after shutdown, the channel
    /// returned is already closed: its `send` throws `.cancelled`.
    public func outputChannel(for key: ChannelKey) -> OutputChannel {
        registry.output(for: key)
    }

    /// Consumer side: attaches to the producer of `key` and grants it `initialCredits`.
    ///
    /// `producer` is nil when the producer runs in this TaskManager: an in-process channel, no
    /// socket, same credit semantics. Otherwise connects to `host:port`, authenticates, opens the
    /// channel, and waits for the producer to confirm — retrying with short back-off until
    /// `timeout` while the producer's TaskManager is unreachable. Events go to `sink` (see
    /// `ChannelEventSink`), possibly before this returns. Throws `.fenced`, `.refused`,
    /// `.handshake` at once (retrying cannot help), `.timedOut` when the deadline passes,
    /// `.cancelled` if the attempt is released meanwhile.
    public func connectInput(key: ChannelKey, index: Int, producer: (host: String, port: Int)?, sink: any ChannelEventSink,
                             initialCredits: Int, timeout: Duration) async throws -> InputChannel {
        guard key.isEncodable else { throw DataPlaneError.protocolViolation("subtask index out of u32 range in \(key)") }
        guard let initialCredit = UInt32(exactly: initialCredits) else {
            throw DataPlaneError.protocolViolation("initial credits \(initialCredits) out of range")
        }
        guard let producer else {
            return try connectLocal(key: key, index: index, sink: sink, initialCredit: initialCredit)
        }
        return try await connectRemote(key: key, index: index, host: producer.host, port: producer.port, sink: sink,
                                       initialCredit: initialCredit, timeout: timeout)
    }

    /// Tears down every channel of this job attempt, both sides: senders blocked on credit throw
    /// `.cancelled`, connections close (remote consumers are told), input channels close without
    /// telling their sinks. Later attaches for the attempt are refused.
    public func release(jobID: String, attempt: UInt32) {
        registry.release(jobID: jobID, attempt: attempt)
    }

    /// Fencing: from now on OPEN requests and local attaches for attempts of `jobID` below
    /// `minimumAttempt` are refused (`.fenced`), and their existing channels are torn down as by
    /// `release`. Lowering the minimum has no effect.
    public func fence(jobID: String, minimumAttempt: UInt32) {
        registry.fence(jobID: jobID, minimumAttempt: minimumAttempt)
    }

    /// Closes every channel, every connection and the data port. Idempotent.
    public func shutdown() async {
        registry.shutDown()
        connections.closeAll()
        do {
            try await server.close()
            logger.info("data port closed", metadata: ["port": "\(port)"])
        } catch {
            // Already closed by an earlier shutdown.
        }
    }

    /// Serves until graceful shutdown (or cancellation), then shuts down.
    public func run() async throws {
        logger.info("data port listening", metadata: ["port": "\(port)", "host": "\(advertisedHost)"])
        try? await gracefulShutdown()
        await shutdown()
    }

    private func connectLocal(key: ChannelKey, index: Int, sink: any ChannelEventSink,
                              initialCredit: UInt32) throws(DataPlaneError) -> InputChannel {
        let output: OutputChannel
        switch registry.outputToAttach(key) {
        case .success(let found): output = found
        case .failure(let refusal): throw refusal.error(for: key)
        }
        let input = InputChannel(key: key, index: index, link: LocalInputLink(output: output), registry: registry)
        try output.attach(LocalOutputTransport(input: input, sink: sink), initialCredit: Int(initialCredit))
        do {
            try registry.register(input)
        } catch {
            input.closeLink()
            throw error
        }
        logger.debug("in-process data channel attached", metadata: key.logMetadata)
        return input
    }
}
