import Logging
import SluiceKafka
import SluicePostgres

/// `sluice verify`: reads both topics back completely, loads the raw payloads into temporary
/// tables, lets PostgreSQL parse them (`jsonb`, independent of the engine's decoder), recomputes
/// the attribution with plain SQL, and diffs it against the sink table and the dead letters.
///
/// Blocking; opens its own Kafka consumer and PostgreSQL connection and closes both when done.
public struct Verifier {
    public let options: VerifyOptions
    public let bootstrapServers: String
    public let postgresURL: String
    private let logger: Logger

    public init(options: VerifyOptions, bootstrapServers: String, postgresURL: String,
                logger: Logger = Logger(label: "sluice.verify")) {
        self.options = options
        self.bootstrapServers = bootstrapServers
        self.postgresURL = postgresURL
        self.logger = logger
    }

    /// Runs the comparison. Differences are reported, not thrown; errors mean it could not compare.
    public func run() throws -> VerificationReport {
        try options.validate()
        let clock = ContinuousClock()
        let start = clock.now
        var report = VerificationReport()
        report.sinkTable = options.sinkTable
        let connection = try PostgresConnection.connect(url: postgresURL, logger: logger)
        for table in [options.sinkTable, "commerce.users_history", "commerce.dead_letters"] {
            guard try SchemaLoader.tableExists(table, on: connection) else { throw VerifyError.tableMissing(table: table) }
        }
        try connection.simpleQuery(OracleFunctions.statements)

        let consumer = try KafkaConsumer(configuration: ["bootstrap.servers": bootstrapServers, "client.id": "sluice-verify"], logger: logger)
        let reader = TopicSnapshotReader(consumer: consumer, bootstrapServers: bootstrapServers,
                                         idleTimeout: options.readIdleTimeout, logger: logger)
        report.partitions = try reader.read(topics: EventTopic.allCases.map { ($0, options.name(of: $0)) }) { rows in
            try connection.copyIn(table: "verify_raw", columns: RawRecordRow.columns, rows: rows.lazy.map(\.copyValues))
        }
        try connection.copyIn(table: "verify_partitions", columns: ["topic", "part", "low", "high"], rows: report.partitions.map {
            [$0.partition.topic, "\($0.partition.partition)", "\($0.firstAvailableOffset)", "\($0.watermarks.high)"]
        })
        report.readSeconds = (clock.now - start).inSeconds
        for snapshot in report.truncatedPartitions {
            logger.warning("the broker dropped old records", metadata: ["partition": "\(snapshot.partition)", "gone": "\(snapshot.offsetsGone)"])
        }

        try parseJSON(on: connection)
        try runStage("classify and parse records", OracleQueries.decode(maxRecordBytes: SluiceTools.maxRecordBytes), on: connection)
        let parsed = try connection.simpleQuery(OracleQueries.parsedCounts)
        report.validClicks = parsed.int(0)
        report.validCheckouts = parsed.int(1)
        report.malformedRecords = parsed.int(2)
        report.repeatedCheckoutIDs = parsed.int(3)
        report.cutoffMillis = try cutoff(report.partitions, latestEventTime: parsed.value(row: 0, column: 4).flatMap { Int64($0) },
                                         connection: connection)
        try runStage("recompute the attribution", [OracleQueries.expected(windowMillis: options.windowMillis)], on: connection)

        try compareRows(&report, connection: connection)
        try compareDeadLetters(&report, connection: connection)
        report.totalSeconds = (clock.now - start).inSeconds
        logger.info("verify finished", metadata: ["equal": "\(report.isEqual)", "seconds": "\(report.totalSeconds)"])
        return report
    }

    /// Turns the raw payloads into `jsonb`: optimistically in bulk, or record by record when a
    /// payload that looks like a JSON object is not valid JSON.
    private func parseJSON(on connection: PostgresConnection) throws {
        try connection.simpleQuery("ANALYZE verify_raw")
        do {
            try runStage("parse JSON in bulk", [OracleQueries.json(maxRecordBytes: SluiceTools.maxRecordBytes, optimistic: true)], on: connection)
        } catch let error as PostgresError where error.sqlState != nil {
            logger.debug("a payload that looks like a JSON object is not valid JSON; parsing record by record", metadata: ["error": "\(error)"])
            try runStage("parse JSON record by record", [OracleQueries.json(maxRecordBytes: SluiceTools.maxRecordBytes, optimistic: false)],
                         on: connection)
        }
    }

    /// Runs `statements` in order, logging the stage's duration at debug level.
    private func runStage(_ stage: String, _ statements: [String], on connection: PostgresConnection) throws {
        let clock = ContinuousClock()
        let start = clock.now
        for statement in statements { try connection.simpleQuery(statement) }
        logger.debug("verify stage done", metadata: ["stage": "\(stage)", "seconds": "\((clock.now - start).inSeconds)"])
    }

    private func cutoff(_ partitions: [PartitionSnapshot], latestEventTime: Int64?, connection: PostgresConnection) throws -> Int64? {
        let truncated = partitions.filter(\.isTruncated)
        guard !truncated.isEmpty else { return nil }
        let earliest = try connection.simpleQuery(OracleQueries.earliestPerPartition).rows.reduce(into: [KafkaTopicPartition: Int64]()) { map, row in
            guard let topic = row[0], let partition = row[1].flatMap({ Int32($0) }), let time = row[2].flatMap({ Int64($0) }) else { return }
            map[KafkaTopicPartition(topic: topic, partition: partition)] = time
        }
        return TruncationCutoff.compute(truncated: truncated.map { ($0.partition, earliest[$0.partition]) }, latestEventTime: latestEventTime,
                                        windowMillis: options.windowMillis, maxDisorderMillis: options.maxDisorderMillis)
    }

    private func compareRows(_ report: inout VerificationReport, connection: PostgresConnection) throws {
        let sink = PostgresConnection.quoteQualifiedName(options.sinkTable)
        let lateEvents = try SchemaLoader.tableExists("commerce.late_events", on: connection)
        try connection.simpleQuery(ComparisonQueries.snapshot(sinkTable: sink, lateEventsExist: lateEvents))
        try connection.simpleQuery(ComparisonQueries.outcomes(cutoffMillis: report.cutoffMillis, windowMillis: options.windowMillis,
                                                              watermarkMillis: options.watermarkMillis))
        report.watermarkMillis = options.watermarkMillis
        let outcomes = try connection.simpleQuery(ComparisonQueries.outcomeCounts)
        report.rows.equal = outcomes.int(0)
        report.rows.different = outcomes.int(1)
        report.rows.differentExplainedByLateClicks = outcomes.int(2)
        report.rows.missing = outcomes.int(3)
        report.rows.late = outcomes.int(4)
        report.rows.expected = outcomes.int(5)
        report.rows.attributed = outcomes.int(6)
        report.rows.unknownUsers = outcomes.int(7)
        report.rows.notDue = outcomes.int(8)
        let extra = try connection.simpleQuery(ComparisonQueries.extraAndExcluded(cutoffMillis: report.cutoffMillis))
        report.rows.extra = extra.int(0)
        report.rows.excludedExpected = extra.int(1)
        report.rows.excludedSink = extra.int(2)
        report.rows.sinkRows = extra.int(3)

        let limit = options.maxDiffs
        guard limit > 0 else { return }
        let width = ComparisonQueries.columns.count
        if report.rows.missing > 0 {
            report.missingExamples = try connection.simpleQuery(ComparisonQueries.missingExamples(limit: limit)).rows
                .map(VerificationReport.describeRow)
        }
        if report.rows.extra > 0 {
            report.extraExamples = try connection.simpleQuery(ComparisonQueries.extraExamples(cutoffMillis: report.cutoffMillis, limit: limit)).rows
                .map(VerificationReport.describeRow)
        }
        if report.rows.different > 0 {
            report.differentExamples = try connection.simpleQuery(ComparisonQueries.differentExamples(limit: limit)).rows.map {
                VerificationReport.describeDifference(expected: Array($0[0..<width]), actual: Array($0[width...]))
            }
        }
    }

    private func compareDeadLetters(_ report: inout VerificationReport, connection: PostgresConnection) throws {
        try connection.simpleQuery(ComparisonQueries.deadLetters)
        let counts = try connection.simpleQuery(ComparisonQueries.deadLetterCounts(topics: EventTopic.allCases.map { options.name(of: $0) }))
        report.deadLetters = VerificationReport.DeadLetterCounts(
            expected: counts.int(0), found: counts.int(1), missing: counts.int(2), extra: counts.int(3), outsideReadOffsets: counts.int(4))
        let limit = options.maxDiffs
        guard limit > 0 else { return }
        func describe(_ row: [String?], _ prefix: String) -> String {
            "\(row[0] ?? "?")[\(row[1] ?? "?")]@\(row[2] ?? "?"): \(prefix)\(row[3] ?? "")"
        }
        if report.deadLetters.missing > 0 {
            report.missingDeadLetterExamples = try connection.simpleQuery(ComparisonQueries.missingDeadExamples(limit: limit)).rows
                .map { describe($0, "malformed per SQL: ") }
        }
        if report.deadLetters.extra > 0 {
            report.extraDeadLetterExamples = try connection.simpleQuery(ComparisonQueries.extraDeadExamples(limit: limit)).rows
                .map { describe($0, "a valid event per SQL, dead-lettered as: ") }
        }
    }
}
