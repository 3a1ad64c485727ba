import Logging
import SluicePostgres

/// At-least-once delivery: each upsert commits on its own (autocommit), so rows are visible at
/// once. A replay after a failure upserts the same `checkout_id`s again, which leaves one row
/// per checkout.
///
/// Owns one connection, used on the task thread; each upsert is a committed batch for
/// `SinkMetrics` (its round trip is the commit latency). A database blip is retried with reconnects
/// (`PostgresRetry`): an autocommit upsert is idempotent, so repeating it is safe.
final class AutocommitSinkWriter: SinkWriter {
    private let connection: PostgresConnection
    private let retry: PostgresRetry
    private let table: String
    private let metrics: SinkMetrics

    init(url: String, table: String, metrics: SinkMetrics, logger: Logger) throws {
        connection = try PostgresConnection.connect(url: url, logger: logger)
        retry = PostgresRetry(logger: logger)
        self.table = table
        self.metrics = metrics
    }

    func write(_ sql: String, parameters: [PostgresBinaryValue], eventTimes: [Int64]) throws {
        let started = ContinuousClock.now
        _ = try retry.run(connection, "upsert \(eventTimes.count) rows into \(table)") { try $0.execute(sql, binary: parameters) }
        metrics.committed(eventTimesMillis: eventTimes, commitSeconds: (ContinuousClock.now - started) / .seconds(1))
    }

    /// Nothing to store: the rows before the barrier are already committed.
    func snapshot(checkpointID: UInt64) throws -> [UInt8]? { nil }

    func finish() throws {}

    func throwIfFailed() throws {}

    func close() {}
}
