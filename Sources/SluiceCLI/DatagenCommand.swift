import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluiceAttribution
import SluicePostgres
import SluiceTools

/// `sluice datagen`: users and products into PostgreSQL, then generated clicks and checkouts
/// into Kafka (see `EventGenerator` for the model).
struct Datagen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load users into PostgreSQL and stream generated clicks/checkouts into Kafka.",
        discussion: """
            Users 1…N are (re)written with renames inside the event-time range before any event is produced; \
            then clicks and checkouts (with bounded disorder, unknown users, checkouts without a click, repeat \
            purchases and a share of malformed records) go to Kafka, keyed by user id, lz4-compressed. The same \
            --seed and --start-time give the same data. Exits non-zero unless every record was delivered.
            """)

    @Option(help: "Kafka bootstrap servers (default: config kafka.bootstrap(-file), SLUICE_KAFKA_BOOTSTRAP, or .cluster/kafka.bootstrap).")
    var kafka: String?
    @Option(help: "PostgreSQL URL (default: config postgres.url(-file), SLUICE_POSTGRES_URL, or .cluster/postgres.url).")
    var postgres: String?
    @Option(help: "The Sluice YAML config (e.g. cluster/sluice.yaml).")
    var config: String?
    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 42
    @Option(help: "Records to produce (clicks + checkouts + malformed); 0 = until Ctrl-C.")
    var events: Int = 0
    @Option(help: "Records per second; 0 = as fast as possible.")
    var rate: Double = 0
    @Option(help: "Users 1…N in commerce.users.")
    var users: Int = 1000
    @Option(help: "Products in commerce.products.")
    var products: Int = 200
    @Option(help: "Bounded disorder: an event time lags the newest one produced by at most this many ms.")
    var disorderMs: Int64 = 5000
    @Option(help: "Share of malformed records (invalid JSON, missing field, wrong type, bad timestamp, oversized).")
    var malformedShare: Double = 0.01
    @Option(help: "Share of sessions (so of checkouts) by user ids not in commerce.users.")
    var unknownUserShare: Double = 0.02
    @Option(help: "Share of checkouts with no click of that user and product in the hour before.")
    var noClickShare: Double = 0.1
    @Option(help: "Share of checkouts re-buying a product the user bought before.")
    var repeatShare: Double = 0.05
    @Option(help: """
        Event time of the first record, "YYYY-MM-DD HH:MM:SS" UTC. Default: event time never runs ahead of the \
        wall clock: with a --rate it starts now; with --rate 0 and --events N the events cover the time just \
        before now (N × step, ending now); --rate 0 without --events needs --start-time or --time-step-ms.
        """)
    var startTime: String?
    @Option(help: "Event-time advance per record in ms (default: 1000/rate, or 10 when as fast as possible).")
    var timeStepMs: Double?
    @Option(help: "The clicks topic.")
    var clicksTopic: String = SluiceTools.defaultClicksTopic
    @Option(help: "The checkouts topic.")
    var checkoutsTopic: String = SluiceTools.defaultCheckoutsTopic
    @Flag(help: "Apply the schema file (idempotent) before loading users.")
    var applySchema = false
    @Option(help: "The schema file for --apply-schema.")
    var schema: String = "cluster/schema.sql"
    @Flag(help: "Only load users and products; produce no events.")
    var usersOnly = false
    @Flag(help: "Do not touch PostgreSQL's users and products; only produce events.")
    var skipUsers = false
    @Option(help: "Write the records as JSONL files (<dir>/<topic>.jsonl) for the file source instead of producing to Kafka.")
    var outputDir: String?

    func validate() throws {
        if usersOnly && skipUsers { throw ValidationError("--users-only and --skip-users exclude each other") }
    }

    func run() throws {
        let settings = try SluiceConfig.load(file: config)
        LoggingSystemSetup.bootstrap(level: settings.logLevel)
        let logger = Logger(label: "sluice.datagen")
        let endpoints = ConnectorEndpoints(kafkaFlag: kafka, postgresFlag: postgres, config: settings)
        let options = try makeOptions()
        try options.validate()

        if applySchema || !skipUsers {
            let connection = try PostgresConnection.connect(url: try endpoints.requirePostgres(), logger: logger)
            if applySchema { try SchemaLoader.apply(path: schema, on: connection) }
            if !skipUsers {
                let catalog = UserCatalog(users: options.users, seed: options.seed, eventStart: options.startTime,
                                          eventSpan: options.expectedEventSpanMillis)
                let counts = try ReferenceDataLoader(connection: connection)
                    .load(users: catalog, products: ProductCatalog(count: options.products, seed: options.seed))
                Console.line("datagen: \(counts.users) users (\(counts.renames) renames) and \(counts.products) products written to PostgreSQL")
            }
        }
        if usersOnly { return }
        if let outputDir {
            let summary = try DatagenFileWriter(options: options, directory: outputDir).run()
            Console.line("datagen: wrote \(summary.counts.records) records to \(outputDir)/\(clicksTopic).jsonl and \(checkoutsTopic).jsonl")
            return
        }

        StopSignal.install()
        let printer = ProgressPrinter()
        let runner = DatagenRunner(options: options, bootstrapServers: try endpoints.requireKafka(), logger: logger)
        Console.line("datagen: producing \(events > 0 ? "\(events)" : "unbounded") records to \(clicksTopic)/\(checkoutsTopic) "
            + "at \(rate > 0 ? "\(rate)/s" : "full speed"), event time from \(EventTimeFormat.format(options.startTime)) UTC "
            + "(step \(options.effectiveTimeStepMillis) ms), seed \(seed)")
        let summary: DatagenSummary
        do {
            summary = try runner.run(progress: printer.update, shouldStop: { StopSignal.isRequested })
        } catch {
            printer.finish()
            throw error
        }
        printer.finish()
        summary.lines.forEach(Console.line)
    }

    private func makeOptions() throws -> DatagenOptions {
        let start: Int64
        if let startTime {
            do {
                start = try EventTimeFormat.parse(startTime)
            } catch {
                throw ValidationError("--start-time '\(startTime)': \(error); expected \"YYYY-MM-DD HH:MM:SS\" (UTC)")
            }
        } else {
            let now = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            // Users only: renames fall inside the hour from now, where a later generator's events land.
            start = usersOnly ? now : try DatagenOptions.defaultStartTime(now: now, events: events, rate: rate, timeStepMillis: timeStepMs)
        }
        var options = DatagenOptions(startTime: start)
        options.seed = seed
        options.events = events
        options.rate = rate
        options.users = users
        options.products = products
        options.disorderMillis = disorderMs
        options.malformedShare = malformedShare
        options.unknownUserShare = unknownUserShare
        options.noClickShare = noClickShare
        options.repeatShare = repeatShare
        options.timeStepMillis = timeStepMs
        options.clicksTopic = clicksTopic
        options.checkoutsTopic = checkoutsTopic
        return options
    }
}
