/// The PEM files of a process's mutual TLS (`tls.ca-file`, `tls.cert-file`, `tls.key-file`):
/// the cluster CA every peer's certificate must chain to, and this process's own certificate
/// and key. `sluice certs init DIR` writes a set for a local cluster.
///
/// Either all three keys are set (TLS on for the RPC and data connections) or none; a partial
/// set is a configuration error naming the missing keys, never a silent plaintext fallback.
/// Paths only: reading and checking the files is `ClusterTLS`'s (module SluiceTLS), so this
/// module links no TLS library. A value; safe anywhere.
public struct TLSFiles: Sendable, Hashable {
    public var caFile: String
    public var certificateFile: String
    public var privateKeyFile: String

    public init(caFile: String, certificateFile: String, privateKeyFile: String) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.privateKeyFile = privateKeyFile
    }

    /// The files from `source`, nil when no `tls.*` key is set.
    init?(_ source: ConfigSource) throws {
        let keys: [ConfigKey] = [.tlsCAFile, .tlsCertFile, .tlsKeyFile]
        let paths = keys.map { source.path($0) }
        if paths.allSatisfy({ $0 == nil }) { return nil }
        guard let ca = paths[0], let certificate = paths[1], let key = paths[2] else {
            let missing = zip(keys, paths).filter { $0.1 == nil }.map(\.0)
            let set = zip(keys, paths).first { $0.1 != nil }!
            throw ConfigError.invalidValue(
                key: missing.map(\.rawValue).joined(separator: ", "), value: "(unset)",
                expected: "all of tls.ca-file, tls.cert-file and tls.key-file, since \(set.0.rawValue) is set "
                    + "(sluice certs init DIR writes them; or unset every tls.* key for plaintext)",
                source: source.values[set.0]?.source ?? "the config")
        }
        self.init(caFile: ca, certificateFile: certificate, privateKeyFile: key)
    }
}
