import SluiceEngine
import SluicePostgres

/// Encodes batches of rows for a PostgreSQL table: one text array per column, turned back into
/// rows by `unnest` and cast to each column's type, as a plain `INSERT` or an upsert
/// (`ON CONFLICT (key) DO UPDATE` replacing the other columns). Rows of one batch with equal
/// keys keep only the last (one statement may not touch a row twice: a window that fired again).
///
/// Owns its arrays (reused across batches); used on the task thread only.
struct RowSinkEncoder: SinkEncoding {
    let layout: RowLayout
    let insert: String
    let upsert: String
    private let key: RowKeyColumns
    private var arrays: [PostgresTextArray]
    private var keyBytes: [UInt8] = []
    private var seen: Set<[UInt8]> = []
    private var keep: [Bool] = []

    /// `columns` maps input columns to table columns where the names differ.
    init(table: String, layout: RowLayout, key: [String], columns renames: [String: String]) throws(RowFormatError) {
        self.layout = layout
        self.key = try RowKeyColumns(key, in: layout)
        arrays = Array(repeating: PostgresTextArray(), count: layout.columnCount)
        let schemaColumns = layout.schema.columns
        let targets = schemaColumns.map { PostgresConnection.quoteIdentifier(renames[$0.name] ?? $0.name) }
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

    mutating func encode(_ rows: some BidirectionalCollection<RowRecord>, upsert: Bool) throws -> SinkBatch {
        // Newest first: a row is kept when no later row has its key (each key hashed once).
        seen.removeAll(keepingCapacity: true)
        keep.removeAll(keepingCapacity: true)
        for record in rows.reversed() {
            key.write(record.row, into: &keyBytes)
            keep.append(seen.insert(keyBytes).inserted)
        }
        for index in arrays.indices { arrays[index].removeAll() }
        for (index, record) in rows.enumerated() where keep[keep.count - 1 - index] {
            for column in 0..<layout.columnCount { try arrays[column].append(text(record.row, column)) }
        }
        var parameters: [PostgresBinaryValue] = []
        for index in arrays.indices { parameters.append(try arrays[index].parameter()) }
        return .statement(sql: upsert ? self.upsert : insert, parameters: parameters)
    }

    func eventTime(_ record: RowRecord) -> Int64 { record.eventTime }

    /// Every batch keeps only the last row per key when it is encoded, and batches go in order.
    func latestPerKey(_ rows: [RowRecord]) -> [RowRecord] { rows }

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
