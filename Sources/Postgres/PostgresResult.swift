import CLibPQ

/// The outcome of one statement: owns a `PGresult` (freed with `PQclear` in `deinit`) holding
/// the rows in text format, the command tag and the affected-row count.
///
/// Thread rules: libpq documents a `PGresult` as read-only after creation and safe to pass
/// between threads, so this type is Sendable.
///
/// Invariants: only successful results (`COMMAND_OK`, `TUPLES_OK`, `EMPTY_QUERY`) are wrapped;
/// failures become `PostgresError`. Row and column indexes are checked (a bad index is a
/// programming error and traps).
public final class PostgresResult: @unchecked Sendable {  // PGresult is read-only after creation (libpq docs: may be shared between threads).
    private let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    /// Number of rows returned.
    public var rowCount: Int { Int(PQntuples(handle)) }

    /// Number of columns returned.
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// Column names, in order.
    public var columns: [String] {
        (0..<columnCount).map { String(cString: PQfname(handle, Int32($0))) }
    }

    /// The index of the column called `name`, or nil.
    public func columnIndex(named name: String) -> Int? {
        let index = PQfnumber(handle, "\"\(name.replacing("\"", with: "\"\""))\"")
        return index < 0 ? nil : Int(index)
    }

    /// The value in text form, or nil for SQL NULL.
    public func value(row: Int, column: Int) -> String? {
        checkBounds(row: row, column: column)
        if PQgetisnull(handle, Int32(row), Int32(column)) != 0 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    /// The value of the column called `column` in text form, or nil for SQL NULL.
    public func value(row: Int, column name: String) -> String? {
        guard let column = columnIndex(named: name) else {
            preconditionFailure("no column '\(name)' in result with columns \(columns)")
        }
        return value(row: row, column: column)
    }

    /// Whether the value is SQL NULL.
    public func isNull(row: Int, column: Int) -> Bool {
        checkBounds(row: row, column: column)
        return PQgetisnull(handle, Int32(row), Int32(column)) != 0
    }

    /// All rows as arrays of optional strings (for small results and tests).
    public var rows: [[String?]] {
        (0..<rowCount).map { row in (0..<columnCount).map { value(row: row, column: $0) } }
    }

    /// The command tag, e.g. `INSERT 0 3`, `PREPARE TRANSACTION`, `SELECT 10`.
    public var commandTag: String { String(cString: PQcmdStatus(handle)) }

    /// Rows inserted, updated, deleted, copied, fetched or selected; nil for other commands.
    public var affectedRows: Int? { Int(String(cString: PQcmdTuples(handle))) }

    private func checkBounds(row: Int, column: Int) {
        precondition((0..<rowCount).contains(row), "row \(row) outside 0..<\(rowCount)")
        precondition((0..<columnCount).contains(column), "column \(column) outside 0..<\(columnCount)")
    }
}
