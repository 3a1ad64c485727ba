import Foundation
import Logging
import NIOCore
import NIOPosix
import SluiceCore
import SluiceTLS
import SluiceTestSupport
import Synchronization
import Testing

/// Mutual TLS between two ends built from `ClusterTLS`, over real loopback sockets: a peer with a
/// certificate of the cluster CA gets through; a plaintext peer, one of another CA and one whose
/// certificate expired are refused, and the refusing end logs why. Also the checks a process
/// makes of its own files at start.
@Suite struct ClusterTLSTests {
    /// A cluster's files from `sluice certs init`'s code, and an echo server that speaks TLS.
    private struct Fixture {
        let directory: TemporaryDirectory
        let authority: ClusterCertificates

        init() throws {
            directory = try TemporaryDirectory(prefix: "sluice-tls")
            _ = try ClusterCertificates.initialize(directory: directory.url.path, hosts: ["127.0.0.1"], days: 2)
            authority = try ClusterCertificates(certificatePEM: String(contentsOfFile: directory.url.path + "/ca.pem", encoding: .utf8),
                                                keyPEM: String(contentsOfFile: directory.url.path + "/ca-key.pem", encoding: .utf8))
        }

        func files(_ name: String) -> TLSFiles {
            let base = directory.url.path
            return TLSFiles(caFile: base + "/ca.pem", certificateFile: base + "/\(name).pem", privateKeyFile: base + "/\(name)-key.pem")
        }

        /// Files of a certificate this CA issues now for `name`, valid between the dates.
        func issued(_ name: String, from: Date, until: Date) throws -> TLSFiles {
            let (certificate, key) = try authority.issue(name: name, hosts: ["127.0.0.1"], notValidBefore: from, notValidAfter: until)
            let base = directory.url.path
            try certificate.write(toFile: base + "/\(name).pem", atomically: true, encoding: .utf8)
            try key.write(toFile: base + "/\(name)-key.pem", atomically: true, encoding: .utf8)
            return files(name)
        }
    }

    private static let message = "hello over TLS, is anyone there?"

    /// A TLS echo server on a free loopback port; `logs` gets its refusals.
    private func echoServer(_ tls: ClusterTLS, logs: LogRecorder) async throws -> any Channel {
        let logger = logs.makeLogger(label: "server")
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls.addServerHandlers(to: channel, logger: logger)
                    try channel.pipeline.syncOperations.addHandler(Echo())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Sends `message` from a client end (TLS with `tls`, plaintext without) and returns what
    /// came back before the connection closed or 5 s passed. (Longer than a TLS record header,
    /// so a TLS server reading it as plaintext has enough to refuse.)
    private func ping(port: Int, tls: ClusterTLS?, logs: LogRecorder) async throws -> String {
        let reply = Reply()
        let logger = logs.makeLogger(label: "client")
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls?.addClientHandlers(to: channel, logger: logger)
                    try channel.pipeline.syncOperations.addHandler(reply)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        // A refused handshake may close the channel before or while this is written.
        try? await channel.writeAndFlush(ByteBuffer(string: Self.message)).get()
        try await waitUntil("an echo or the connection's end", timeout: .seconds(5)) { reply.text == Self.message || !channel.isActive }
        try? await channel.close()
        return reply.text
    }

    @Test func peersOfTheClusterCAConnectWithTLS13() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let logs = LogRecorder()
        let server = try await echoServer(try ClusterTLS(fixture.files("jobmanager")), logs: logs)
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        #expect(try await ping(port: port, tls: try ClusterTLS(fixture.files("taskmanager")), logs: logs) == Self.message)
        #expect(!logs.contains(.warning, "TLS handshake refused"))
    }

    @Test func aPlaintextPeerIsRefusedAndTheServerSaysWhy() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let logs = LogRecorder()
        let server = try await echoServer(try ClusterTLS(fixture.files("jobmanager")), logs: logs)
        defer { server.close(promise: nil) }
        // No echo: at most the bytes of the TLS alert the server sends before closing.
        let reply = try await ping(port: try #require(server.localAddress?.port), tls: nil, logs: logs)
        #expect(!reply.contains(Self.message))
        try await waitUntil("the server's log line", timeout: .seconds(5)) { logs.contains(.warning, "TLS handshake refused") }
    }

    @Test func aPeerOfAnotherCAIsRefusedByBothEnds() async throws {
        let fixture = try Fixture(), other = try Fixture()
        defer { fixture.directory.remove(); other.directory.remove() }
        let serverLogs = LogRecorder(), clientLogs = LogRecorder()
        let server = try await echoServer(try ClusterTLS(fixture.files("jobmanager")), logs: serverLogs)
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        #expect(try await ping(port: port, tls: try ClusterTLS(other.files("taskmanager")), logs: clientLogs) == "")
        // The client checks the server's certificate first and refuses it.
        try await waitUntil("the client's log line", timeout: .seconds(5)) { clientLogs.contains(.warning, "TLS handshake refused") }
    }

    @Test func aPeerWithAnExpiredCertificateIsRefused() async throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let logs = LogRecorder()
        let server = try await echoServer(try ClusterTLS(fixture.files("jobmanager")), logs: logs)
        defer { server.close(promise: nil) }
        let now = Date()
        let expired = try fixture.issued("expired", from: now.addingTimeInterval(-7200), until: now.addingTimeInterval(-3600))
        // A process refuses to start with it (below); a peer that uses it anyway is refused.
        let client = try ClusterTLS(expired, now: now.addingTimeInterval(-5400))
        #expect(try await ping(port: try #require(server.localAddress?.port), tls: client, logs: logs) == "")
        try await waitUntil("the server's log line", timeout: .seconds(5)) {
            logs.contains(.warning, "TLS handshake refused") && logs.contains(.warning, "CERTIFICATE_VERIFY_FAILED")
        }
    }

    @Test func aProcessRefusesToStartWithAnExpiredOrMismatchedCertificate() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let now = Date()
        let expired = try fixture.issued("old", from: now.addingTimeInterval(-7200), until: now.addingTimeInterval(-3600))
        let error = #expect(throws: TLSError.self) { try ClusterTLS(expired) }
        #expect(error?.description.contains("expired on") == true)
        var mismatched = fixture.files("jobmanager")
        mismatched.privateKeyFile = fixture.files("taskmanager").privateKeyFile
        #expect(throws: TLSError.keyDoesNotMatch(certificate: mismatched.certificateFile, key: mismatched.privateKeyFile)) {
            try ClusterTLS(mismatched)
        }
        var missing = fixture.files("jobmanager")
        missing.caFile += ".absent"
        let unreadable = #expect(throws: TLSError.self) { try ClusterTLS(missing) }
        #expect(unreadable?.description.contains("tls.ca-file") == true)
    }

    @Test func certsInitWritesPrivateKeysOwnerOnlyAndRefusesToOverwriteACA() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.directory.url.path + "/taskmanager-key.pem")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: CertificatesError.self) {
            try ClusterCertificates.initialize(directory: fixture.directory.url.path, hosts: ["127.0.0.1"], days: 1)
        }
    }

    @Test func aPartialTLSConfigIsRefusedNamingTheMissingKeys() throws {
        let error = #expect(throws: ConfigError.self) {
            try SluiceConfig.load(file: nil, environment: ["SLUICE_TLS_CA_FILE": "/tmp/ca.pem", "SLUICE_TLS_CERT_FILE": "/tmp/a.pem"])
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("tls.key-file"))
        #expect(try SluiceConfig.load(file: nil, environment: [:]).tls == nil)
    }

    @Test func restTLSTakesOffServerOrMutualAndNeedsTheTLSFiles() throws {
        let files = ["SLUICE_TLS_CA_FILE": "/tmp/ca.pem", "SLUICE_TLS_CERT_FILE": "/tmp/a.pem", "SLUICE_TLS_KEY_FILE": "/tmp/a-key.pem"]
        #expect(try SluiceConfig.load(file: nil, environment: [:]).jobManager.restTLS == .off)
        #expect(try SluiceConfig.load(file: nil, environment: files.merging(["SLUICE_REST_TLS": "Mutual"]) { $1 }).jobManager.restTLS == .mutual)
        let unknown = #expect(throws: ConfigError.self) {
            try SluiceConfig.load(file: nil, environment: files.merging(["SLUICE_REST_TLS": "yes"]) { $1 })
        }
        #expect("\(unknown.map { "\($0)" } ?? "")".contains("one of off, server, mutual"))
        let withoutFiles = #expect(throws: ConfigError.self) {
            try SluiceConfig.load(file: nil, environment: ["SLUICE_REST_TLS": "server"])
        }
        #expect("\(withoutFiles.map { "\($0)" } ?? "")".contains("tls.ca-file, tls.cert-file and tls.key-file"))
    }
}

/// Echoes what it reads.
private final class Echo: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }
}

/// Collects what the client end reads (on the channel's event loop; read by the test).
private final class Reply: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    private let received = Mutex("")

    var text: String { received.withLock { $0 } }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let text = buffer.readString(length: buffer.readableBytes) ?? ""
        received.withLock { $0 += text }
    }
}
