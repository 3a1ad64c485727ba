import SluiceEngine
import SluicePostgres

/// How a PostgreSQL sink turns a batch of its records into what it sends: the part of the sink
/// that knows the records (`RowSinkEncoder`),
/// while the writers (`TwoPhaseCommitSink`, `AutocommitSinkWriter`) own the delivery guarantee.
///
/// Owns its buffers; used on the task thread only. Drop a batch before the next `encode`,
/// which reuses them.
protocol SinkEncoding {
    associatedtype Record

    /// `rows` (each key at most once: `latestPerKey`) as plain inserts (`upsert: false`, failing with SQLSTATE 23505 when a row's key is
    /// already in the table) or as an upsert replacing existing rows.
    mutating func encode(_ rows: some BidirectionalCollection<Record>, upsert: Bool) throws -> SinkBatch

    /// `rows` with each key once, as its last version (one statement may not touch a row twice).
    func latestPerKey(_ rows: [Record]) -> [Record]

    /// A record's event time (end-to-end latency is measured from it when its row commits).
    func eventTime(_ record: Record) -> Int64
}

/// One encoded batch, ready to send.
enum SinkBatch {
    case copy(sql: String, data: [UInt8])
    case statement(sql: String, parameters: [PostgresBinaryValue])

    /// Sends the batch without waiting for its result (`awaitInFlight()` or the next
    /// statement reads it); a plain insert that meets a key already in the table fails
    /// with SQLSTATE 23505 there.
    func send(on connection: PostgresConnection) throws {
        switch self {
        case .copy(let sql, let data): try connection.sendCopy(sql, data: data)
        case .statement(let sql, let parameters): try connection.send(sql, binary: parameters)
        }
    }
}
