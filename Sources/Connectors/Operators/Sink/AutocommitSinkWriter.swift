import SluiceEngine
import Logging
import SluicePostgres

/// At-least-once delivery: each batch commits on its own (autocommit), so rows are visible at
/// once. A replay after a failure writes the same `checkout_id`s again, which leaves one row
/// per checkout.
///
/// Owns one connection and the batch encoder, used on the task thread; each batch is a
/// committed batch for `SinkMetrics` (its round trip is the commit latency). A batch goes in as
/// a plain `INSERT` until one meets a checkout already in the table; that batch is repeated as
/// an upsert, and so is every later one (a replay or a correction: more are likely to follow).
/// A database blip is retried with reconnects (`PostgresRetry`): an autocommit batch that
/// failed left nothing behind, so repeating it is safe.
final class AutocommitSinkWriter<Encoding: SinkEncoding>: SinkWriter {
    private let connection: PostgresConnection
    private let retry: PostgresRetry
    private let table: String
    private let metrics: SinkMetrics
    private let logger: Logger
    private var encoder: Encoding
    private var upsertOnly = false

    init(url: String, table: String, encoder: Encoding, metrics: SinkMetrics, logger: Logger) throws {
        connection = try PostgresConnection.connect(url: url, logger: logger)
        retry = PostgresRetry(logger: logger)
        self.table = table
        self.encoder = encoder
        self.metrics = metrics
        self.logger = logger
    }

    func write(_ rows: [Encoding.Record]) throws {
        let started = ContinuousClock.now
        let what = "write \(rows.count) rows into \(table)"
        func run(upsert: Bool) throws {
            let batch = try encoder.encode(rows, upsert: upsert)
            _ = try retry.run(connection, what) { connection in
                try batch.send(on: connection)
                return try connection.awaitInFlight()
            }
        }
        do {
            try run(upsert: upsertOnly)
        } catch let error as PostgresError where error.sqlState == PostgresError.uniqueViolation && !upsertOnly {
            upsertOnly = true
            logger.info("a checkout is already in the table (a replay or a correction): the sink upserts from now on",
                        metadata: ["table": "\(table)"])
            try run(upsert: true)
        }
        metrics.committed(eventTimesMillis: rows.map { encoder.eventTime($0) }, commitSeconds: (ContinuousClock.now - started) / .seconds(1))
    }

    /// Nothing to store: the rows before the barrier are already committed.
    func snapshot(checkpointID: UInt64) throws -> [UInt8]? { nil }

    func finish() throws {}

    func throwIfFailed() throws {}

    func close() {}
}
