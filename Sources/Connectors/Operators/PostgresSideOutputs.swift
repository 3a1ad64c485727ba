import Foundation
import Logging
import SluiceEngine
import SluicePostgres

/// Dead letters, late rows and job-declared side rows of one task, written to PostgreSQL in
/// batches (`commerce.dead_letters`, `sluice.late_rows`, each `SideTable`). Idempotent: a replayed record hits the
/// primary key and is skipped, so at-least-once delivery leaves one row per record.
///
/// Owned by one task; used on its thread. Connects on first use, so tasks without side
/// output never open a connection. Without a PostgreSQL URL, handing it a record fails the
/// task with a message saying what to configure — records are never dropped silently.
public final class PostgresSideOutputs: SideOutputs {
    private let url: String?
    private let logger: Logger
    private var connection: PostgresConnection?
    private var deadLetters: [[String?]] = []
    /// Side rows per table, in the order tables were first used.
    private var sideRows: [(table: SideTable, rows: [[String?]])] = []
    private var sideRowCount = 0
    private var lateRows: [[String?]] = []
    private var lateRowsTableReady = false
    private var lastFlush = Date()
    public private(set) var deadLettersWritten = 0
    public private(set) var lateRowsWritten = 0
    public private(set) var sideRowsWritten = 0

    public init(url: String?, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    public func deadLetter(topic: String, partition: Int32, offset: Int64, payload: some Collection<UInt8>, reason: String) throws {
        deadLetters.append([topic, String(partition), String(offset), Self.hex(payload), reason])
        try flushIfFull()
    }

    public func sideRow(_ values: [String?], into table: SideTable) throws {
        precondition(values.count == table.columns.count, "\(table.name) takes \(table.columns.count) values")
        if let index = sideRows.firstIndex(where: { $0.table == table }) {
            sideRows[index].rows.append(values)
        } else {
            sideRows.append((table, [values]))
        }
        sideRowCount += 1
        try flushIfFull()
    }

    public func lateRow(json: String, operatorID: String, eventTime: Int64, watermark: Int64, reason: String) throws {
        lateRows.append([operatorID, EventTimeFormat.format(eventTime), EventTimeFormat.format(watermark), json, reason])
        try flushIfFull()
    }

    public func flush() throws {
        lastFlush = Date()
        guard !deadLetters.isEmpty || sideRowCount > 0 || !lateRows.isEmpty else { return }
        let connection = try connect()
        let retry = PostgresRetry(logger: logger)
        if !deadLetters.isEmpty {
            _ = try retry.run(connection, "write \(deadLetters.count) dead letters") {
                try $0.execute(Self.insert("commerce.dead_letters", columns: ["topic", "\"partition\"", "\"offset\"", "payload", "reason"],
                                           casts: ["", "::int", "::bigint", "::bytea", ""], rows: deadLetters.count),
                               deadLetters.flatMap { $0 })
            }
            deadLettersWritten += deadLetters.count
            deadLetters.removeAll(keepingCapacity: true)
        }
        for index in sideRows.indices where !sideRows[index].rows.isEmpty {
            let (table, rows) = sideRows[index]
            _ = try retry.run(connection, "write \(rows.count) rows to \(table.name)") {
                try $0.execute(Self.insert(table.name, columns: table.columns, casts: table.casts, rows: rows.count), rows.flatMap { $0 })
            }
            sideRowsWritten += rows.count
            sideRowCount -= rows.count
            sideRows[index].rows.removeAll(keepingCapacity: true)
        }
        if !lateRows.isEmpty {
            if !lateRowsTableReady {
                _ = try retry.run(connection, "create sluice.late_rows") { try $0.simpleQuery(Self.lateRowsTable) }
                lateRowsTableReady = true
            }
            _ = try retry.run(connection, "write \(lateRows.count) late rows") {
                try $0.execute(Self.insert("sluice.late_rows", columns: ["operator", "event_time", "watermark", "row_json", "reason"],
                                           casts: ["", "::timestamp", "::timestamp", "", ""], rows: lateRows.count),
                               lateRows.flatMap { $0 })
            }
            lateRowsWritten += lateRows.count
            lateRows.removeAll(keepingCapacity: true)
        }
    }

    /// As in cluster/schema.sql, for databases set up without it.
    static let lateRowsTable = """
        CREATE SCHEMA IF NOT EXISTS sluice;
        CREATE TABLE IF NOT EXISTS sluice.late_rows (
            operator TEXT NOT NULL, event_time TIMESTAMP(3) NOT NULL, watermark TIMESTAMP(3) NOT NULL,
            row_json TEXT NOT NULL, reason TEXT NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            row_md5 TEXT GENERATED ALWAYS AS (md5(row_json)) STORED, PRIMARY KEY (operator, row_md5))
        """

    private func flushIfFull() throws {
        if deadLetters.count + sideRowCount + lateRows.count >= 200 || Date().timeIntervalSince(lastFlush) > 1 { try flush() }
    }

    private func connect() throws -> PostgresConnection {
        if let connection { return connection }
        guard let url else {
            throw OperatorError.configuration("side-outputs", "dead letters and late rows need PostgreSQL: set postgres.url(-file) in the TaskManager config")
        }
        let connection = try PostgresConnection.connect(url: url, logger: logger)
        self.connection = connection
        return connection
    }

    static func insert(_ table: String, columns: [String], casts: [String], rows: Int) -> String {
        let values = (0..<rows).map { row in
            "(" + casts.enumerated().map { "$\(row * columns.count + $0.offset + 1)\($0.element)" }.joined(separator: ",") + ")"
        }.joined(separator: ",")
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(values) ON CONFLICT DO NOTHING"
    }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        text.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
