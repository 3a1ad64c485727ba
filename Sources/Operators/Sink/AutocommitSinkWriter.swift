import Logging
import SluicePostgres

/// At-least-once delivery: each upsert commits on its own (autocommit), so rows are visible at
/// once. A replay after a failure upserts the same `checkout_id`s again, which leaves one row
/// per checkout.
///
/// Owns one connection, used on the task thread. A database blip is retried with reconnects
/// (`PostgresRetry`): an autocommit upsert is idempotent, so repeating it is safe.
final class AutocommitSinkWriter: SinkWriter {
    private let connection: PostgresConnection
    private let retry: PostgresRetry
    private let table: String

    init(url: String, table: String, logger: Logger) throws {
        connection = try PostgresConnection.connect(url: url, logger: logger)
        retry = PostgresRetry(logger: logger)
        self.table = table
    }

    func write(_ sql: String, parameters: [String?], rows: Int) throws {
        _ = try retry.run(connection, "upsert \(rows) rows into \(table)") { try $0.execute(sql, parameters) }
    }

    /// Nothing to store: the rows before the barrier are already committed.
    func snapshot(checkpointID: UInt64) throws -> [UInt8]? { nil }

    func finish() throws {}

    func throwIfFailed() throws {}

    func close() {}
}
