/// The newest rows of a job's PostgreSQL sink table for the attribution panel, or why there
/// are none (no PostgreSQL sink, database unreachable, query failed). A value.
struct LatestAttributions: Sendable, Equatable {
    /// Column name → value (nil for SQL NULL), newest first.
    var rows: [[String: String?]]
    var error: String?
    /// The table the rows were read from, when known.
    var table: String?

    static func failed(_ error: String, table: String? = nil) -> LatestAttributions {
        LatestAttributions(rows: [], error: error, table: table)
    }
}
