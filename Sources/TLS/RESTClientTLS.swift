import NIOCore
import NIOSSL
import SluiceCore

/// The client end of HTTPS to the JobManager's REST port (`rest.tls`), for the CLI: trusts the
/// cluster CA given with `--cacert` (else the system's roots), checks the JobManager's host name
/// or IP address against its certificate as any HTTPS client does, and presents a client
/// certificate when one is given (`rest.tls: mutual`).
///
/// Immutable after `init` (an NIOSSL context is thread-safe); add its handler per connection.
public final class RESTClientTLS: Sendable {
    private let context: NIOSSLContext

    /// `certificateFile` and `keyFile` go together. Throws `TLSError` naming the unreadable file.
    public init(caFile: String?, certificateFile: String?, keyFile: String?) throws(TLSError) {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.certificateVerification = .fullVerification
        if let caFile {
            configuration.trustRoots = .certificates(try PEMFile.certificates(caFile, setting: "--cacert"))
        }
        switch (certificateFile, keyFile) {
        case (nil, nil):
            break
        case (let certificate?, let key?):
            configuration.certificateChain = try PEMFile.certificates(certificate, setting: "--cert").map { .certificate($0) }
            configuration.privateKey = .privateKey(try PEMFile.privateKey(key, setting: "--key"))
        case (let given?, nil), (nil, let given?):
            throw .unusable(reason: "a client certificate needs both --cert and --key (only \(given) was given)")
        }
        context = try PEMFile.context(configuration, certificateFile: certificateFile, keyFile: keyFile)
    }

    /// Adds the TLS client handler to `channel`, a connection to `host`. A host name is sent as
    /// SNI and checked against the certificate; an IP address is checked against its IP entries.
    public func addHandler(to channel: any Channel, host: String) throws {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host))
    }

    /// `error`'s text when it comes from TLS (a certificate the client does not trust, a peer
    /// that does not speak TLS), for a message that says what to fix; nil for any other error.
    public static func tlsFailure(_ error: any Error) -> String? {
        switch error {
        case let error as NIOSSLError: "\(error)"
        case let error as NIOSSLExtraError: "\(error)"
        case let error as BoringSSLError: "\(error)"
        default: nil
        }
    }
}
