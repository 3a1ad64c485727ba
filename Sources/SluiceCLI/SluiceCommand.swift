import ArgumentParser
import Foundation
import SluiceCore

@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice client: submit and control jobs over the JobManager's REST API, generate and verify data.",
        subcommands: [Submit.self, List.self, Status.self, Stop.self, Cancel.self, Overview.self, Kinds.self, Datagen.self, Verify.self, Certs.self])
}

/// Where the JobManager's REST API is, shared by the job commands.
struct RESTOptions: ParsableArguments {
    @Option(name: .long, help: "The JobManager's REST address (default 127.0.0.1:8081, or SLUICE_REST_URL; https:// when the config's rest.tls is on or --cacert is given, else http://).")
    var rest: String?

    @Option(name: .long, help: "The REST token for submit, cancel and stop (default: the file named by rest.token-file / SLUICE_REST_TOKEN_FILE, else ./.cluster/rest-token as make run writes it).")
    var token: String?

    @Option(name: .long, help: "The Sluice YAML config whose rest.token-file holds the REST token, and whose rest.tls and tls.* say how to reach an HTTPS REST port (e.g. cluster/sluice.yaml).")
    var config: String?

    @Option(name: .long, help: "Seconds to wait for the JobManager's answer (a stop waits for its final checkpoint).")
    var timeout: Int = 60

    @OptionGroup var tls: RESTTLSOptions

    func validate() throws {
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second, got \(timeout)") }
    }

    /// Reads the token file only when no --token is given; a configured but unreadable file is an error.
    var client: RESTClient {
        get throws {
            let settings = try SluiceConfig.load(file: config)
            var client = try tls.client(address: rest, settings: settings)
            client.token = try token ?? settings.restToken() ?? Self.localClusterToken()
            client.timeoutSeconds = timeout
            return client
        }
    }

    /// The JobManager's REST address: `--rest`, else `SLUICE_REST_URL`, else the local default.
    static func address(_ rest: String?) -> String {
        rest ?? ProcessInfo.processInfo.environment["SLUICE_REST_URL"] ?? "127.0.0.1:8081"
    }

    /// The token `make run` generated, when the CLI runs from the repository root; nil elsewhere.
    private static func localClusterToken() -> String? {
        guard let text = try? String(contentsOfFile: ".cluster/rest-token", encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }
}

/// `sluice overview`: what the JobManager reports at GET /overview.
struct Overview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the cluster overview (TaskManagers, slots, jobs) as JSON.")

    @OptionGroup var options: RESTOptions

    func run() async throws {
        print(try await options.client.get("/overview"))
    }
}
