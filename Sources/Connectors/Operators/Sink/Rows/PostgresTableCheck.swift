import SluiceEngine
import SluicePostgres

/// Checks a sink's rows against the target table in PostgreSQL's catalog when the sink opens:
/// every column exists with a type that can hold it, a nullable column does not go into a
/// `NOT NULL` one, and the key is a unique index (what `ON CONFLICT` needs). A mismatch fails
/// the job with the column named and the fix, before any row is written.
struct PostgresTableCheck {
    let table: String
    let schema: Schema
    let key: [String]
    /// Input column → table column, where they differ.
    let renames: [String: String]

    /// Returns the table's column types (`format_type`), by column name.
    @discardableResult
    func run(on connection: PostgresConnection) throws -> [String: String] {
        let columns: PostgresResult
        do {
            columns = try connection.execute("""
                SELECT attname, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute
                WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped
                """, [table])
        } catch let error as PostgresError where error.sqlState == "42P01" || error.sqlState == "3F000" {
            throw SinkTableError("table \(table) does not exist; create it with the columns \(schema.columnList) "
                                 + "and a primary key on (\(key.joined(separator: ", ")))")
        }
        var types: [String: (type: String, notNull: Bool)] = [:]
        for row in 0..<columns.rowCount {
            guard let name = columns.value(row: row, column: 0), let type = columns.value(row: row, column: 1) else { continue }
            types[name] = (type, columns.value(row: row, column: 2) == "t")
        }
        for column in schema.columns {
            let target = renames[column.name] ?? column.name
            guard let found = types[target] else {
                throw SinkTableError("table \(table) has no column \(target) for \(column); add it: "
                                     + "ALTER TABLE \(table) ADD COLUMN \(target) \(Self.suggestedType(column.type))")
            }
            guard Self.holds(found.type, column.type) else {
                throw SinkTableError("column \(table).\(target) is \(found.type), which cannot hold \(column.type) "
                                     + "(\(Self.suggestedType(column.type)) would)")
            }
            if column.nullable && found.notNull {
                throw SinkTableError("column \(table).\(target) is NOT NULL but the sink's \(column) may be NULL")
            }
        }
        let targets = Set(key.map { renames[$0] ?? $0 })
        let indexes = try connection.execute("""
            SELECT array_to_string(array_agg(a.attname::text ORDER BY a.attname), ',') FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indpred IS NULL GROUP BY i.indexrelid
            """, [table])
        let unique = (0..<indexes.rowCount).compactMap { indexes.value(row: $0, column: 0) }.map { Set($0.split(separator: ",").map(String.init)) }
        guard unique.contains(targets) else {
            throw SinkTableError("table \(table) has no primary key or unique index on exactly (\(targets.sorted().joined(separator: ", "))), "
                                 + "which the sink's key needs to upsert; add one: ALTER TABLE \(table) ADD PRIMARY KEY (\(key.joined(separator: ", ")))")
        }
        return types.mapValues(\.type)
    }

    /// Whether a column of PostgreSQL type `type` (as `format_type` prints it) holds `column`.
    static func holds(_ type: String, _ column: ColumnType) -> Bool {
        switch column {
        case .int64: ["bigint", "numeric"].contains { type.hasPrefix($0) }
        case .float64: ["double precision", "numeric"].contains { type.hasPrefix($0) }
        case .decimal: type.hasPrefix("numeric")
        case .string: ["text", "character varying"].contains { type.hasPrefix($0) }
        case .bool: type == "boolean"
        case .timestamp: type.hasPrefix("timestamp")
        case .bytes: type == "bytea"
        }
    }

    static func suggestedType(_ column: ColumnType) -> String {
        switch column {
        case .int64: "BIGINT"
        case .float64: "DOUBLE PRECISION"
        case .decimal(let precision, let scale): "NUMERIC(\(precision), \(scale))"
        case .string: "TEXT"
        case .bool: "BOOLEAN"
        case .timestamp: "TIMESTAMP(3)"
        case .bytes: "BYTEA"
        }
    }
}

/// The sink's table does not fit its rows; fails the job with what to change.
struct SinkTableError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
