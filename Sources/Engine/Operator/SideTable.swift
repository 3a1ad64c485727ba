/// A table a job's operator writes side records to besides its output (e.g. the attribution
/// job's `commerce.late_events`), declared once by the job: the rows are text values inserted
/// in batches with a cast per column, idempotently (`ON CONFLICT DO NOTHING` on the table's own
/// key), so a replayed record leaves one row.
public struct SideTable: Sendable, Hashable {
    /// Schema-qualified table name.
    public var name: String
    public var columns: [String]
    /// Per column, the SQL cast of its text value (`::bigint`, `::timestamp`, or "" for text).
    public var casts: [String]

    public init(name: String, columns: [(name: String, cast: String)]) {
        self.name = name
        self.columns = columns.map(\.name)
        self.casts = columns.map(\.cast)
    }
}
