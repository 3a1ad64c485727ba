import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import SluiceCore
import X509

/// Mutual TLS for one process's RPC and data connections, built once from its `TLSFiles`.
///
/// Both directions use TLS 1.3 only and require the peer's certificate to chain to the cluster
/// CA (`tls.ca-file`); an expired or not-yet-valid certificate fails verification. Host names are
/// not checked: inside a cluster the identity that matters is "holds a certificate of this
/// cluster's CA", as with the cluster secret (whose HMAC handshake still runs inside the TLS
/// session, so a leaked certificate alone does not let a process join, nor the secret alone).
///
/// Immutable after `init` (the NIOSSL contexts are thread-safe), so shared across event loops.
public final class ClusterTLS: Sendable {
    public let files: TLSFiles
    /// What the REST port serves (`rest.tls`).
    public let restMode: RESTTLSMode
    private let server: NIOSSLContext
    private let client: NIOSSLContext
    /// The REST port's server end; nil when `restMode` is `.off`.
    private let rest: NIOSSLContext?

    /// Reads and checks the files: each readable PEM, this process's certificate valid now and
    /// matching its key. Throws `TLSError` naming the file and the fix.
    public init(_ files: TLSFiles, restMode: RESTTLSMode = .off, now: Date = Date()) throws(TLSError) {
        self.files = files
        self.restMode = restMode
        let chain = try PEMFile.certificates(files.certificateFile, setting: "tls.cert-file")
        let roots = try PEMFile.certificates(files.caFile, setting: "tls.ca-file")
        let privateKey = try PEMFile.privateKey(files.privateKeyFile, setting: "tls.key-file")
        try Self.checkValidity(of: files.certificateFile, now: now)
        // Both ends present the same certificate and check the peer's the same way.
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates(roots)
        let context = { (configuration: TLSConfiguration) throws(TLSError) in
            try PEMFile.context(configuration, certificateFile: files.certificateFile, keyFile: files.privateKeyFile)
        }
        server = try context(configuration)
        client = try context(configuration)
        // Browsers and curl have no cluster certificate: with `server` the token is the
        // authentication, with `mutual` a client must present one of the cluster CA as well.
        var rest = configuration
        rest.certificateVerification = restMode == .mutual ? .noHostnameVerification : .none
        self.rest = restMode == .off ? nil : try context(rest)
    }

    /// The handlers that make `channel` (an accepted connection) a TLS server end, added first
    /// in its pipeline: the TLS handler and a logger of refused handshakes.
    public func addServerHandlers(to channel: any Channel, logger: Logger) throws {
        try Self.addServerHandlers(to: channel, context: server, logger: TLSFailureLogger(logger: logger, side: "accepted"))
    }

    /// The handlers that make `channel` (a connection accepted on the REST port) an HTTPS server
    /// end, as `rest.tls` asks; nothing when it is `off`.
    public func addRESTHandlers(to channel: any Channel, logger: Logger) throws {
        guard let rest else { return }
        try Self.addServerHandlers(to: channel, context: rest, logger: TLSFailureLogger(logger: logger, side: "rest", hint: restMode == .mutual
            ? "REST clients need the cluster CA (sluice --cacert) and a certificate of it (--cert, --key): rest.tls is mutual"
            : "REST clients need the cluster CA to trust this certificate (sluice --cacert, curl --cacert) and https://"))
    }

    private static func addServerHandlers(to channel: any Channel, context: NIOSSLContext, logger: TLSFailureLogger) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(NIOSSLServerHandler(context: context))
        try pipeline.addHandler(logger)
    }

    /// The handlers that make `channel` (an outgoing connection) a TLS client end.
    public func addClientHandlers(to channel: any Channel, logger: Logger) throws {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(try NIOSSLClientHandler(context: client, serverHostname: nil))
        try pipeline.addHandler(TLSFailureLogger(logger: logger, side: "outgoing"))
    }

    /// Connects to `host:port` and completes a TLS handshake within `timeout`, then closes:
    /// the JobManager's check of an advertised data port when TLS is on (a bare TCP connect
    /// would look like a refused handshake to the TaskManager, and prove less).
    public func handshake(host: String, port: Int, timeout: Duration) async throws {
        let done = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout / .milliseconds(1))))
            .channelInitializer { [client] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: client, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(done: done))
                }
            }
            .connect(host: host, port: port).get()
        let deadline = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(timeout / .milliseconds(1)))) {
            done.fail(TLSError.unusable(reason: "no TLS handshake with \(host):\(port) within \(timeout)"))
        }
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        try await done.futureResult.get()
    }

    /// Refuses to start with an own certificate that peers would refuse anyway, saying so at
    /// start rather than as handshake failures on every connection.
    private static func checkValidity(of path: String, now: Date) throws(TLSError) {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw .unreadable(key: "tls.cert-file", path: path, reason: "not a PEM certificate (\(error))")
        }
        if certificate.notValidAfter < now {
            throw .expired(key: "tls.cert-file", path: path, notValidAfter: "\(certificate.notValidAfter)")
        }
        if certificate.notValidBefore > now {
            throw .notYetValid(key: "tls.cert-file", path: path, notValidBefore: "\(certificate.notValidBefore)")
        }
    }
}
