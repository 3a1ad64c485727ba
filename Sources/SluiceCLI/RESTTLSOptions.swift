import ArgumentParser
import Foundation
import SluiceCore
import SluiceTLS

/// How the CLI speaks HTTPS to a JobManager whose REST port serves it (`rest.tls`): the CA to
/// trust and, for `rest.tls: mutual`, the client certificate. Each falls back to the config's
/// `tls.*` files, then to the files `make run` writes in ./.cluster/certs.
struct RESTTLSOptions: ParsableArguments {
    @Option(name: .long, help: "The CA certificate (PEM) that issued the JobManager's certificate, for https:// (default: the config's tls.ca-file, else ./.cluster/certs/ca.pem as make run writes it, else the system's roots).")
    var cacert: String?

    @Option(name: .long, help: "A client certificate (PEM) of the cluster CA, for rest.tls: mutual (default: the config's tls.cert-file, else ./.cluster/certs/client.pem).")
    var cert: String?

    @Option(name: .long, help: "The private key (PEM) of --cert.")
    var key: String?

    /// The files `make run` (cluster.sh) writes for a local cluster.
    private static let localDirectory = ".cluster/certs/"

    /// A client of the REST port at `address` (`--rest`, else `SLUICE_REST_URL`, else the local
    /// default). A bare `host:port` is HTTPS when the config's `rest.tls` is on or `--cacert` is
    /// given. The TLS files are read only for an HTTPS address.
    func client(address: String?, settings: SluiceConfig) throws -> RESTClient {
        let https = settings.jobManager.restTLS != .off || cacert != nil
        var client = RESTClient(base: RESTOptions.address(address), token: nil, defaultScheme: https ? "https" : "http")
        if client.isHTTPS { client.tls = try clientTLS(settings: settings) }
        return client
    }

    private func clientTLS(settings: SluiceConfig) throws -> RESTClientTLS {
        let ca = cacert ?? settings.tls?.caFile ?? Self.existing("ca.pem")
        var certificate = cert, privateKey = key
        if certificate == nil, privateKey == nil {
            if let files = settings.tls {
                (certificate, privateKey) = (files.certificateFile, files.privateKeyFile)
            } else if let local = Self.existing("client.pem"), let localKey = Self.existing("client-key.pem") {
                (certificate, privateKey) = (local, localKey)
            }
        }
        do {
            return try RESTClientTLS(caFile: ca, certificateFile: certificate, keyFile: privateKey)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    private static func existing(_ name: String) -> String? {
        FileManager.default.fileExists(atPath: localDirectory + name) ? localDirectory + name : nil
    }
}
