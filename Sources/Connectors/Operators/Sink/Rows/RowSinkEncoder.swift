import SluiceEngine
import SluicePostgres

/// Encodes batches of rows for a PostgreSQL table. New rows go as a binary `COPY` when every
/// column's table type reads the row's binary form (`copyable`): the server's cheapest way in
/// (no statement to parse and plan, rows inserted a page at a time); like a plain insert it
/// fails with SQLSTATE 23505 when a key is already there, and the writers then redo the rows as
/// upserts. Otherwise, and for upserts, one text array per column, turned back into rows by
/// `unnest` and cast to each column's type, as a plain `INSERT` or an upsert (`ON CONFLICT (key)
/// DO UPDATE` replacing the other columns). A batch holds each key once (one statement may not
/// touch a row twice): the sink operator keeps the last row per key of each batch, and
/// `latestPerKey` does it for the rows an epoch redoes.
///
/// Owns its arrays and COPY buffer (reused across batches, so a batch allocates nothing per row
/// once they are large enough); used on the task thread only.
struct RowSinkEncoder: SinkEncoding {
    let layout: RowLayout
    let insert: String
    let upsert: String
    /// The COPY statement, nil when some column's table type cannot take its binary form.
    let copy: String?
    private let key: RowKeyColumns
    private var arrays: [PostgresTextArray]
    private var copyRows = PostgresCopyBinaryWriter()
    private var decimalText: [UInt8] = []

    /// `columns` maps input columns to table columns where the names differ; `tableTypes` are
    /// the table's column types as `format_type` prints them (from `PostgresTableCheck`), which
    /// decide whether new rows can go as a binary COPY.
    init(table: String, layout: RowLayout, key: [String], columns renames: [String: String],
         tableTypes: [String: String] = [:]) throws(RowFormatError) {
        self.layout = layout
        self.key = try RowKeyColumns(key, in: layout)
        arrays = Array(repeating: PostgresTextArray(), count: layout.columnCount)
        let schemaColumns = layout.schema.columns
        let names = schemaColumns.map { renames[$0.name] ?? $0.name }
        let targets = names.map(PostgresConnection.quoteIdentifier)
        let binary = schemaColumns.indices.allSatisfy { index in
            tableTypes[names[index]].map { Self.readsBinary($0, schemaColumns[index].type) } ?? false
        }
        copy = binary ? "COPY \(PostgresConnection.quoteQualifiedName(table)) (\(targets.joined(separator: ", "))) FROM STDIN (FORMAT binary)" : nil
        let arrays = schemaColumns.indices.map { "$\($0 + 1)::text[]" }.joined(separator: ", ")
        let values = schemaColumns.indices.map { "v\($0)" }
        let selected = schemaColumns.indices.map { "v\($0)::\(Self.cast(schemaColumns[$0].type))" }.joined(separator: ", ")
        insert = "INSERT INTO \(PostgresConnection.quoteQualifiedName(table)) (\(targets.joined(separator: ", "))) "
            + "SELECT \(selected) FROM unnest(\(arrays)) AS rows(\(values.joined(separator: ", ")))"
        let keyTargets = key.map { PostgresConnection.quoteIdentifier(renames[$0] ?? $0) }
        let updates = targets.filter { !keyTargets.contains($0) }.map { "\($0) = EXCLUDED.\($0)" }
        upsert = insert + " ON CONFLICT (\(keyTargets.joined(separator: ", "))) DO "
            + (updates.isEmpty ? "NOTHING" : "UPDATE SET \(updates.joined(separator: ", "))")
    }

    /// The PostgreSQL type a column's text is cast to.
    static func cast(_ type: ColumnType) -> String {
        switch type {
        case .int64: "bigint"
        case .float64: "double precision"
        case .decimal: "numeric"
        case .string: "text"
        case .bool: "boolean"
        case .timestamp: "timestamp"
        case .bytes: "bytea"
        }
    }

    /// Whether a table column of type `type` reads the binary form COPY sends for `column`.
    static func readsBinary(_ type: String, _ column: ColumnType) -> Bool {
        switch column {
        case .int64: type == "bigint"
        case .float64: type == "double precision"
        case .decimal: type.hasPrefix("numeric")
        case .string: type == "text" || type.hasPrefix("character varying")
        case .bool: type == "boolean"
        case .timestamp: type.hasPrefix("timestamp")
        case .bytes: type == "bytea"
        }
    }

    mutating func encode(_ rows: some BidirectionalCollection<RowRecord>, upsert: Bool) throws -> SinkBatch {
        if !upsert, let copy, let data = try copyData(rows) { return .copy(sql: copy, data: data) }
        for index in arrays.indices { arrays[index].removeAll() }
        for record in rows {
            for column in 0..<layout.columnCount { try arrays[column].append(text(record.row, column)) }
        }
        var parameters: [PostgresBinaryValue] = []
        for index in arrays.indices { parameters.append(try arrays[index].parameter()) }
        return .statement(sql: upsert ? self.upsert : insert, parameters: parameters)
    }

    /// The binary COPY data of the kept rows, or nil when a decimal has no binary `numeric` form
    /// (the statement's text cast then reports it). Shares its buffer with this encoder.
    private mutating func copyData(_ rows: some BidirectionalCollection<RowRecord>) throws -> [UInt8]? {
        copyRows.reset()
        let fields = Int16(layout.columnCount)
        for record in rows {
            copyRows.beginRow(fields: fields)
            let row = record.row
            for column in 0..<layout.columnCount {
                if row.isNull(column) {
                    copyRows.appendNull()
                    continue
                }
                switch layout.schema.columns[column].type {
                case .int64: copyRows.append(int8: row.int64(column, layout))
                case .float64: copyRows.append(float8: row.float64(column, layout))
                case .bool: copyRows.append(bool: row.bool(column, layout))
                case .timestamp: try copyRows.append(timestampMillis: row.int64(column, layout))
                case .decimal(let precision, _) where precision <= Decimal64.maxPrecision:
                    decimalText.removeAll(keepingCapacity: true)
                    row.decimal(column, layout).appendText(to: &decimalText)
                    guard decimalText.withUnsafeBytes({ copyRows.append(numeric: $0) }) else { return nil }
                case .decimal:
                    guard row.withVariable(column, layout, { copyRows.append(numeric: $0) }) else { return nil }
                case .string, .bytes:
                    try row.withVariable(column, layout) { try copyRows.append(utf8: $0) }
                }
            }
        }
        copyRows.finish()
        return copyRows.bytes
    }

    func eventTime(_ record: RowRecord) -> Int64 { record.eventTime }

    func latestPerKey(_ rows: [RowRecord]) -> [RowRecord] {
        var latest = LatestRowPerKey(key: key)
        var rows = rows
        latest.reduce(&rows)
        return rows
    }

    /// A column's value as the text its cast reads; nil for NULL.
    private func text(_ row: Row, _ column: Int) -> String? {
        guard !row.isNull(column) else { return nil }
        switch layout.schema.columns[column].type {
        case .int64: return String(row.int64(column, layout))
        case .float64: return "\(row.float64(column, layout))"
        case .decimal(let precision, _) where precision <= Decimal64.maxPrecision: return row.decimal(column, layout).description
        case .decimal, .string: return row.string(column, layout)
        case .bool: return row.bool(column, layout) ? "true" : "false"
        case .timestamp: return EventTimeFormat.format(row.int64(column, layout))
        case .bytes: return PostgresSideOutputs.hex(row.withVariable(column, layout) { Array($0) })
        }
    }
}
