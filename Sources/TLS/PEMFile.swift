import NIOSSL

/// Reads the PEM files of a TLS configuration, with errors that name the setting they came from
/// (`tls.cert-file`, `--cacert`, …) and the file. Shared by the cluster's TLS and the CLI's.
enum PEMFile {
    /// Every certificate in `path`; at least one.
    static func certificates(_ path: String, setting: String) throws(TLSError) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .unreadable(key: setting, path: path, reason: "not a readable PEM certificate file (\(error))")
        }
        guard !certificates.isEmpty else { throw .unreadable(key: setting, path: path, reason: "it holds no certificate") }
        return certificates
    }

    static func privateKey(_ path: String, setting: String) throws(TLSError) -> NIOSSLPrivateKey {
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem)
        } catch {
            throw .unreadable(key: setting, path: path, reason: "not a PEM private key (\(error))")
        }
    }

    /// A context of `configuration`, whose key was read from `keyFile` for `certificateFile`.
    /// BoringSSL checks that the key belongs to the certificate when a context is made; the key
    /// itself was read already, so failing to load it here is that check failing.
    static func context(_ configuration: TLSConfiguration, certificateFile: String?, keyFile: String?) throws(TLSError) -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            if case NIOSSLError.failedToLoadPrivateKey = error {
                throw .keyDoesNotMatch(certificate: certificateFile ?? "", key: keyFile ?? "")
            }
            throw .unusable(reason: "\(error)")
        }
    }
}
