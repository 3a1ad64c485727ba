import ArgumentParser
import SluiceTLS

/// `sluice certs init DIR`: a CA and certificates for a local cluster's mutual TLS.
struct Certs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make TLS certificates for a cluster.",
        subcommands: [Initialize.self])

    struct Initialize: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write a cluster CA and certificates for the JobManager, the TaskManagers and the CLI into DIR.",
            discussion: """
                Writes ca.pem and ca-key.pem (the CA; keep ca-key.pem private), and NAME.pem + NAME-key.pem for \
                jobmanager, taskmanager and client: ECDSA P-256, valid from an hour ago for --days. Every process then \
                sets tls.ca-file (ca.pem), tls.cert-file and tls.key-file (its own pair), and refuses peers without a \
                certificate of this CA. Key files are readable by their owner only. Refuses a DIR that already has a \
                ca.pem (certificates handed out from it would stop matching).
                """)

        @Argument(help: "The directory to write into (created if missing).")
        var directory: String

        @Option(name: .customLong("host"), help: "A host name or IP address the certificates name, for HTTPS clients that check it (repeatable; default: 127.0.0.1, ::1 and localhost).")
        var hosts: [String] = []

        @Option(name: .long, help: "Days the certificates are valid.")
        var days = 365

        func validate() throws {
            guard (1...36_500).contains(days) else { throw ValidationError("--days must be 1 to 36500, not \(days)") }
        }

        func run() throws {
            let names = hosts.isEmpty ? ["127.0.0.1", "::1", "localhost"] : hosts
            do {
                let written = try ClusterCertificates.initialize(directory: directory, hosts: names, days: days)
                print("wrote \(written.count) files for hosts \(names.joined(separator: ", ")), valid \(days) days:")
                for path in written { print("  \(path)") }
            } catch let error as CertificatesError {
                throw ValidationError(error.description)
            }
        }
    }
}
