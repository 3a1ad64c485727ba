import ArgumentParser
import Foundation

/// `sluice submit JOB.yaml`: validates and starts a job; prints its id.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a job spec (YAML); prints the job id.",
        discussion: "The JobManager validates the spec and answers with the offending field when it is wrong.")

    @Argument(help: "The job spec, e.g. jobs/checkout-attribution.yaml.")
    var spec: String

    @Option(name: .long, help: "Override the spec's parallelism.")
    var parallelism: Int?

    @OptionGroup var options: RESTOptions

    func run() async throws {
        let yaml: String
        do {
            yaml = try String(contentsOfFile: spec, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(spec): \(error.localizedDescription)")
        }
        let path = parallelism.map { "/jobs?parallelism=\($0)" } ?? "/jobs"
        let body = try await options.client.send("POST", path, body: Data(yaml.utf8))
        let reply = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        print(reply?["jobid"] as? String ?? body)
    }
}

/// `sluice list`: one line per job.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List jobs: id, state, name, duration.")

    @OptionGroup var options: RESTOptions

    func run() async throws {
        let body = try await options.client.get("/jobs/overview")
        let jobs = (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["jobs"] as? [[String: Any]] ?? []
        if jobs.isEmpty {
            print("no jobs")
            return
        }
        for job in jobs {
            let seconds = (job["duration"] as? Int ?? 0) / 1000
            print("\(job["jid"] ?? "?")  \(String(describing: job["state"] ?? "?").padding(toLength: 10, withPad: " ", startingAt: 0))  \(job["name"] ?? "?")  \(seconds)s")
        }
    }
}

/// `sluice status JOB`: the job's state and its vertices.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a job's state, vertices and record counts.")

    @Argument(help: "The job id (see sluice list).")
    var job: String

    @Flag(name: .long, help: "Print the raw JSON of GET /jobs/:id.")
    var json = false

    @OptionGroup var options: RESTOptions

    func run() async throws {
        let body = try await options.client.get("/jobs/\(job)")
        guard !json, let details = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            print(body)
            return
        }
        print("\(details["name"] ?? "?") (\(details["jid"] ?? job)): \(details["state"] ?? "?"), attempt \(details["attempt"] ?? 1)")
        if let cause = details["failure-cause"] as? String { print("  failure: \(cause)") }
        for vertex in details["vertices"] as? [[String: Any]] ?? [] {
            let metrics = vertex["metrics"] as? [String: Any] ?? [:]
            print("  \(vertex["name"] ?? "?") ×\(vertex["parallelism"] ?? "?"): \(vertex["status"] ?? "?"), in \(metrics["read-records"] ?? 0), out \(metrics["write-records"] ?? 0)")
        }
    }
}

/// `sluice cancel JOB`.
struct Cancel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a job (its tasks stop; no final checkpoint).")

    @Argument(help: "The job id (see sluice list).")
    var job: String

    @OptionGroup var options: RESTOptions

    func run() async throws {
        _ = try await options.client.send("PATCH", "/jobs/\(job)?mode=cancel", body: nil)
        print("cancellation of \(job) requested")
    }
}
