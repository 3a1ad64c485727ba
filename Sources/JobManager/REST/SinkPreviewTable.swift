/// The newest rows of one sink's table for the web UI's sink preview, or why there are none
/// (database unreachable, query failed). A value.
struct SinkPreviewTable: Sendable, Equatable {
    /// The sink vertex.
    var vertex: String
    var table: String
    /// The column the rows are ordered by (newest first); nil: the table's own order.
    var orderBy: String?
    var columns: [String]
    /// Values as text, nil for SQL NULL, in `columns` order.
    var rows: [[String?]]
    var error: String?

    static func failed(_ error: String, vertex: String, table: String, orderBy: String?) -> SinkPreviewTable {
        SinkPreviewTable(vertex: vertex, table: table, orderBy: orderBy, columns: [], rows: [], error: error)
    }
}
