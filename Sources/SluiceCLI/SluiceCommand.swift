import ArgumentParser
import Foundation
import SluiceCore

@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice client: cluster status over the JobManager's REST API.",
        subcommands: [Overview.self])
}

/// `sluice overview`: what the JobManager reports at GET /overview.
struct Overview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the cluster overview (TaskManagers, slots, jobs).")

    @Option(name: .long, help: "The JobManager's REST address (default http://127.0.0.1:8081, or SLUICE_REST_URL).")
    var rest: String?

    func run() async throws {
        let base = rest ?? ProcessInfo.processInfo.environment["SLUICE_REST_URL"] ?? "http://127.0.0.1:8081"
        let body = try await RESTClient(base: base).get("/overview")
        print(body)
    }
}
