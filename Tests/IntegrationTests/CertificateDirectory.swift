import Foundation
import SluiceTestSupport

/// A folder `sluice certs init` filled (a CA and certificates for jobmanager, taskmanager and
/// client), and the `SLUICE_TLS_*` variables that give a process one of its certificates.
struct CertificateDirectory {
    let path: String

    /// Runs `sluice certs init path` (certificates naming `hosts`, default the loopback ones);
    /// returns what it printed too.
    @discardableResult
    static func initialize(_ path: String, hosts: [String] = []) throws -> (CertificateDirectory, String) {
        let written = try ShellCommand.run(try RepositoryLayout.executable("sluice").path,
                                           ["certs", "init", path] + hosts.flatMap { ["--host", $0] })
        return (CertificateDirectory(path: path), written)
    }

    var caFile: String { path + "/ca.pem" }

    /// The variables of a process that presents `name`'s certificate (`name.pem`, `name-key.pem`).
    func environment(_ name: String) -> [String: String] {
        ["SLUICE_TLS_CA_FILE": caFile, "SLUICE_TLS_CERT_FILE": path + "/\(name).pem", "SLUICE_TLS_KEY_FILE": path + "/\(name)-key.pem"]
    }
}
