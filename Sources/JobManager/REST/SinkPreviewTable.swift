/// The newest rows of one sink's table for the web UI's sink preview, or why there are none
/// (database unreachable, query failed). A value.
struct SinkPreviewTable: Sendable, Equatable, Encodable {
    /// The sink vertex.
    var vertex: String
    var table: String
    /// The column the rows are ordered by (newest first); nil: the table's own order.
    var orderBy: String?
    var columns: [String]
    /// Values as text, nil for SQL NULL, in `columns` order.
    var rows: [[String?]]
    var error: String?

    enum CodingKeys: String, CodingKey {
        case vertex, table, columns, rows, error
        case orderBy = "order-by"
    }

    // Explicit, so absent values are `null` in the JSON instead of left out (the UI reads them).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(vertex, forKey: .vertex)
        try container.encode(table, forKey: .table)
        try container.encode(orderBy, forKey: .orderBy)
        try container.encode(columns, forKey: .columns)
        try container.encode(rows, forKey: .rows)
        try container.encode(error, forKey: .error)
    }

    static func failed(_ error: String, vertex: String, table: String, orderBy: String?) -> SinkPreviewTable {
        SinkPreviewTable(vertex: vertex, table: table, orderBy: orderBy, columns: [], rows: [], error: error)
    }
}
