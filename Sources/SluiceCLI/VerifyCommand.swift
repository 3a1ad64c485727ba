import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceTools

/// `sluice verify`: recomputes the attribution from the raw events with plain SQL and diffs it
/// against the sink table (see `Verifier`).
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the expected attribution from the topics with plain SQL and diff it against the sink table.",
        discussion: """
            Reads every record of both topics (from the low to the high watermark at start), lets PostgreSQL parse \
            them, recomputes one row per checkout (earliest click of the same user and product in [T − window, T], \
            user name as of T) and compares all columns with the sink, and the malformed records with \
            commerce.dead_letters. Exits 0 only when both match.

            A running job emits a checkout only once its watermark passes it, so the newest checkouts are \
            not in the sink yet: with --job JOB they are counted as "not yet due" (newer than that job's \
            watermark) instead of missing. For an exact comparison of a live pipeline, stop the input \
            (make datagen-stop), wait until `sluice status JOB` shows nothing left to read, then \
            `sluice stop --drain JOB` and verify.
            """)

    @Option(help: "Kafka bootstrap servers (default: config kafka.bootstrap(-file), SLUICE_KAFKA_BOOTSTRAP, or .cluster/kafka.bootstrap).")
    var kafka: String?
    @Option(help: "PostgreSQL URL (default: config postgres.url(-file), SLUICE_POSTGRES_URL, or .cluster/postgres.url).")
    var postgres: String?
    @Option(help: "The Sluice YAML config (e.g. cluster/sluice.yaml).")
    var config: String?
    @Option(help: "The clicks topic.")
    var clicksTopic: String = SluiceTools.defaultClicksTopic
    @Option(help: "The checkouts topic.")
    var checkoutsTopic: String = SluiceTools.defaultCheckoutsTopic
    @Option(help: "The job's output table.")
    var sinkTable: String = SluiceTools.defaultSinkTable
    @Option(help: "The attribution window in ms.")
    var windowMs: Int64 = SluiceTools.attributionWindowMillis
    @Option(help: "Examples of each kind of difference to print.")
    var maxDiffs: Int = 20
    @Option(help: "The producers' maximum disorder in ms; pads the comparison cut-off when the broker dropped old data.")
    var maxDisorderMs: Int64 = 15_000

    @Option(help: "The running job that writes the sink table: expected rows newer than its watermark are counted as not yet due.")
    var job: String?
    @Option(name: .long, help: "The JobManager's REST address for --job (default 127.0.0.1:8081, or SLUICE_REST_URL; https:// when rest.tls is on or --cacert is given).")
    var rest: String?
    @OptionGroup var tls: RESTTLSOptions

    func run() async throws {
        let settings = try SluiceConfig.load(file: config)
        LoggingSystemSetup.bootstrap(level: settings.logLevel)
        let endpoints = ConnectorEndpoints(kafkaFlag: kafka, postgresFlag: postgres, config: settings)
        var options = VerifyOptions()
        options.clicksTopic = clicksTopic
        options.checkoutsTopic = checkoutsTopic
        options.sinkTable = sinkTable
        options.windowMillis = windowMs
        options.maxDiffs = maxDiffs
        options.maxDisorderMillis = maxDisorderMs
        if let job { options.watermarkMillis = try await Self.watermark(of: job, client: try tls.client(address: rest, settings: settings)) }
        let report = try Verifier(options: options, bootstrapServers: try endpoints.requireKafka(),
                                  postgresURL: try endpoints.requirePostgres(), logger: Logger(label: "sluice.verify")).run()
        report.lines.forEach(Console.line)
        if !report.isEqual { throw ExitCode(1) }
    }

    /// The job's event-time watermark (the lowest of its vertices'); nil once the job finished
    /// (drained or bounded: every row is due). `Int64.min` while no vertex has one yet.
    static func watermark(of job: String, client: RESTClient) async throws -> Int64? {
        let body = try await client.get("/jobs/\(job)")
        guard let details = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw ValidationError("--job \(job): the JobManager's answer is not a job: \(body.prefix(200))")
        }
        if details["state"] as? String == "FINISHED" { return nil }
        let watermarks = (details["vertices"] as? [[String: Any]] ?? []).map { vertex in
            ((vertex["metrics"] as? [String: Any])?["current-watermark"] as? NSNumber)?.int64Value ?? .min
        }
        return watermarks.min() ?? .min
    }
}
