import ArgumentParser
import Foundation

/// `sluice submit JOB.yaml`: validates and starts a job; prints its id.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit a job spec (YAML); prints the job id.",
        discussion: """
            The JobManager validates the spec and answers with the offending field when it is wrong.
            With --from-checkpoint the job resumes a checkpoint (e.g. the one `sluice stop` printed): its keyed \
            state, Kafka offsets and pending sink transactions; the spec argument may then be left out (the \
            checkpoint holds the spec), and --parallelism may differ from the original (key groups are redistributed).
            """)

    @Argument(help: "The job spec, e.g. jobs/checkout-attribution.yaml.")
    var spec: String?

    @Option(name: .long, help: "Override the spec's parallelism.")
    var parallelism: Int?

    @Option(name: .customLong("from-checkpoint"), help: "Resume from this checkpoint (a chk-N directory or its _metadata file).")
    var fromCheckpoint: String?

    @Flag(name: .customLong("allow-duplicate"),
          help: "Run the job even if a job of the same name is active (refused by default: both would write the same sink rows).")
    var allowDuplicate = false

    @OptionGroup var options: RESTOptions

    func validate() throws {
        if spec == nil && fromCheckpoint == nil { throw ValidationError("give a job spec file, or --from-checkpoint PATH") }
    }

    func run() async throws {
        var yaml = ""
        if let spec {
            do {
                yaml = try String(contentsOfFile: spec, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(spec): \(error.localizedDescription)")
            }
        }
        var query: [URLQueryItem] = []
        if let parallelism { query.append(URLQueryItem(name: "parallelism", value: "\(parallelism)")) }
        if allowDuplicate { query.append(URLQueryItem(name: "allow-duplicate", value: "true")) }
        if let fromCheckpoint {
            let absolute = fromCheckpoint.hasPrefix("/") ? fromCheckpoint : FileManager.default.currentDirectoryPath + "/" + fromCheckpoint
            query.append(URLQueryItem(name: "fromCheckpoint", value: absolute))
        }
        var components = URLComponents()
        components.path = "/jobs"
        components.queryItems = query.isEmpty ? nil : query
        let body = try await options.client.send("POST", components.string ?? "/jobs", body: Data(yaml.utf8))
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
        print("\(details["name"] ?? "?") (\(details["jid"] ?? job)): \(details["state"] ?? "?"), attempt \(details["attempt"] ?? 1), restarts \(details["numRestarts"] ?? 0)")
        if let cause = details["failure-cause"] as? String { print("  failure: \(cause)") }
        for vertex in details["vertices"] as? [[String: Any]] ?? [] {
            let metrics = vertex["metrics"] as? [String: Any] ?? [:]
            let pending = metrics["pending-records"].map { ", not yet read \($0)" } ?? ""
            print("  \(vertex["name"] ?? "?") ×\(vertex["parallelism"] ?? "?"): \(vertex["status"] ?? "?"), in \(metrics["read-records"] ?? 0), "
                  + "out \(metrics["write-records"] ?? 0)\(pending)")
        }
    }
}

/// `sluice stop JOB [--drain]`: stop-with-checkpoint.
struct Stop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop a job with a final checkpoint; prints where to resume from.",
        discussion: """
            Without --drain, the job stops as it is: event-time windows still open (e.g. checkouts \
            younger than the watermark's delay) stay in the checkpoint, and a job resumed from it \
            emits them later. Resume with: sluice submit --from-checkpoint PATH [--parallelism N]

            With --drain (as Flink's stop --drain), the sources stop reading and emit the maximum \
            watermark first, so every pending result is emitted and committed with the final \
            checkpoint: use it when the input has ended for good, e.g. before `sluice verify`.
            """)

    @Argument(help: "The job id (see sluice list).")
    var job: String

    @Flag(help: "Emit every pending event-time result before the final checkpoint (the input is over).")
    var drain = false

    @OptionGroup var options: RESTOptions

    func run() async throws {
        let body = try await options.client.send("POST", "/jobs/\(job)/stop", body: drain ? Data(#"{"drain": true}"#.utf8) : nil,
                                                 contentType: "application/json")
        let reply = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        guard let path = reply?["location"] as? String else {
            print(body)
            return
        }
        print("stopped \(job)\(drain ? " after draining it" : "") with checkpoint \(reply?["checkpoint-id"] ?? "?")")
        print(path)
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
