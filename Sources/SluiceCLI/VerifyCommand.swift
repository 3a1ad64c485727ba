import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceTools

/// `sluice verify`: recomputes the attribution from the raw events with plain SQL and diffs it
/// against the sink table (see `Verifier`).
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the expected attribution from the topics with plain SQL and diff it against the sink table.",
        discussion: """
            Reads every record of both topics (from the low to the high watermark at start), lets PostgreSQL parse \
            them, recomputes one row per checkout (earliest click of the same user and product in [T − window, T], \
            user name as of T) and compares all columns with the sink, and the malformed records with \
            commerce.dead_letters. Run it once the job has caught up. Exits 0 only when both match.
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

    func run() throws {
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
        let report = try Verifier(options: options, bootstrapServers: try endpoints.requireKafka(),
                                  postgresURL: try endpoints.requirePostgres(), logger: Logger(label: "sluice.verify")).run()
        report.lines.forEach(Console.line)
        if !report.isEqual { throw ExitCode(1) }
    }
}
