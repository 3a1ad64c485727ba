import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceKafka
import SluiceLibrary
import SluiceOperators
import SluicePostgres
import SluiceTestSupport
import SluiceTools
import Testing

/// A PostgreSQL server and a dev broker holding one datagen run (users in PostgreSQL, events in
/// Kafka), plus what a correct job would have written: the brute-force sink rows and a dead
/// letter for every malformed record at its Kafka position.
final class VerifyFixture: Sendable {
    let postgres: PostgresServer
    let broker: DevBrokerServer
    let options: DatagenOptions
    let sinkRows: [[String?]]
    let deadLetters: [[String?]]
    let summary: DatagenSummary
    let coverage: Coverage

    /// How often the data hits the cases an attribution can get wrong.
    struct Coverage: Sendable {
        var checkoutsAfterARename = 0
        var checkoutsBeforeARename = 0
        /// The user clicked the product, but only more than an hour before the checkout.
        var checkoutsWithOnlyOlderClicks = 0
        var checkoutsWithSeveralClicksInWindow = 0
    }

    static let topics = ["clicks:4", "checkouts:4"]

    /// Starts both services, generates `options.events` records and computes the expected output.
    /// On failure everything started is stopped again.
    init(options: DatagenOptions) throws {
        postgres = try PostgresServer.start()
        do {
            broker = try DevBrokerServer.start(topics: Self.topics)
        } catch {
            postgres.stop()
            throw error
        }
        do {
            self.options = options
            let connection = try PostgresConnection.connect(url: postgres.url)
            try SchemaLoader.apply(path: RepositoryLayout.root.appendingPathComponent("cluster/schema.sql").path, on: connection)
            let users = UserCatalog(users: options.users, seed: options.seed, eventStart: options.startTime,
                                    eventSpan: options.expectedEventSpanMillis)
            try ReferenceDataLoader(connection: connection).load(users: users, products: ProductCatalog(count: options.products, seed: options.seed))
            summary = try DatagenRunner(options: options, bootstrapServers: broker.bootstrapServers).run()
            (sinkRows, deadLetters, coverage) = try Self.expectedOutput(options: options, users: users, bootstrap: broker.bootstrapServers)
        } catch {
            broker.stop()
            postgres.stop()
            throw error
        }
    }

    func stop() {
        broker.stop()
        postgres.stop()
    }

    func connect() throws -> PostgresConnection {
        try PostgresConnection.connect(url: postgres.url)
    }

    /// Replaces the sink and dead-letter tables' contents with what a correct job writes.
    func writeCorrectOutput() throws {
        let connection = try connect()
        try connection.simpleQuery("TRUNCATE commerce.attributed_checkouts, commerce.dead_letters, commerce.late_events")
        try connection.copyIn(table: "commerce.attributed_checkouts", columns: BruteForceAttribution.sinkColumns, rows: sinkRows)
        try connection.copyIn(table: "commerce.dead_letters", columns: ["topic", "partition", "offset", "payload", "reason"], rows: deadLetters)
    }

    func verify(maxDiffs: Int = 20, watermarkMillis: Int64? = nil) throws -> VerificationReport {
        var verifyOptions = VerifyOptions()
        verifyOptions.maxDiffs = maxDiffs
        verifyOptions.watermarkMillis = watermarkMillis
        return try Verifier(options: verifyOptions, bootstrapServers: broker.bootstrapServers, postgresURL: postgres.url).run()
    }

    /// Reads the topics back (for the records' partitions and offsets), matches each payload to
    /// the record a fresh generator with the same options produces, and computes the output.
    private static func expectedOutput(options: DatagenOptions, users: UserCatalog, bootstrap: String)
        throws -> (sinkRows: [[String?]], deadLetters: [[String?]], coverage: Coverage) {
        var generator = EventGenerator(options: options)
        var generated: [[UInt8]: GeneratedEvent] = [:]
        for _ in 0..<options.events {
            let (event, payload) = generator.next()
            generated[payload] = event
        }
        var clicks: [Click] = []
        var checkouts: [Checkout] = []
        var deadLetters: [[String?]] = []
        for record in try readAll(bootstrap: bootstrap, topics: ["clicks", "checkouts"]) {
            let event = try #require(generated[record.value], "a record in Kafka that the generator did not produce")
            switch event.content {
            case .click(let record): clicks.append(record.click)
            case .checkout(let checkout, _): checkouts.append(checkout)
            case .malformed(let kind, _):
                let hex = record.value.map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }
                deadLetters.append([record.topic, "\(record.partition)", "\(record.offset)", "\\x" + hex.joined(), "test: \(kind.rawValue)"])
            }
        }
        return (BruteForceAttribution.sinkRows(clicks: clicks, checkouts: checkouts, users: users), deadLetters,
                coverage(clicks: clicks, checkouts: checkouts, users: users))
    }

    private static func coverage(clicks: [Click], checkouts: [Checkout], users: UserCatalog) -> Coverage {
        var coverage = Coverage()
        let renames = Dictionary(grouping: users.updateRounds.flatMap { $0 }, by: \.userID)
        let window = SluiceTools.attributionWindowMillis
        for checkout in checkouts {
            let times = renames[checkout.userID]?.map(\.validFrom) ?? []
            if times.contains(where: { $0 <= checkout.eventTime }) { coverage.checkoutsAfterARename += 1 }
            if times.contains(where: { $0 > checkout.eventTime }) { coverage.checkoutsBeforeARename += 1 }
            let same = clicks.filter { $0.userID == checkout.userID && $0.productID == checkout.productID && $0.eventTime <= checkout.eventTime }
            let inWindow = same.filter { $0.eventTime >= checkout.eventTime - window }
            if inWindow.isEmpty && !same.isEmpty { coverage.checkoutsWithOnlyOlderClicks += 1 }
            if inWindow.count > 1 { coverage.checkoutsWithSeveralClicksInWindow += 1 }
        }
        return coverage
    }

    /// Every record of `topics`, polling until all partitions are read to their high watermark.
    private static func readAll(bootstrap: String, topics: [String]) throws -> [KafkaRecord] {
        let consumer = try KafkaConsumer(configuration: ["bootstrap.servers": bootstrap])
        var remaining = 0
        var assignments: [KafkaPartitionAssignment] = []
        for topic in topics {
            for partition in 0..<Int32(try consumer.partitionCount(topic: topic)) {
                let marks = try consumer.watermarks(topic: topic, partition: partition)
                #expect(marks.low == 0, "the dev broker dropped data of \(topic)[\(partition)]; the fixture is too large")
                remaining += Int(marks.messageCount)
                assignments.append(KafkaPartitionAssignment(topic: topic, partition: partition, start: .beginning))
            }
        }
        try consumer.assign(assignments)
        var records: [KafkaRecord] = []
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while records.count < remaining {
            guard ContinuousClock.now < deadline else { throw TestSupportError.timedOut("\(remaining) records from \(topics)") }
            records += try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200)).records
        }
        return records
    }
}
