import Hummingbird

/// `GET /jobs/:id/sink-preview`: the job's operator counters summed over subtasks (operator,
/// event, value) and the newest rows of each sink table that declares a preview.
struct SinkPreviewResponse: ResponseEncodable {
    struct Counter: Encodable {
        var `operator`: String
        var event: String
        var value: UInt64
    }

    struct Sink: Encodable {
        var vertex: String
        var table: String
        var orderBy: String?
        var columns: [String]
        var rows: [[String?]]
        var error: String?

        enum CodingKeys: String, CodingKey {
            case vertex, table, columns, rows, error
            case orderBy = "order-by"
        }

        // Explicit, so a NULL value stays `null` in the JSON instead of being left out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(vertex, forKey: .vertex)
            try container.encode(table, forKey: .table)
            try container.encode(orderBy, forKey: .orderBy)
            try container.encode(columns, forKey: .columns)
            try container.encode(rows, forKey: .rows)
            try container.encode(error, forKey: .error)
        }
    }

    var counters: [Counter]
    var sinks: [Sink]

    /// `operatorCounters`: `"<operator>/<event>"` → value, summed over subtasks.
    init(operatorCounters: [String: UInt64], previews: [SinkPreviewTable]) {
        counters = operatorCounters.compactMap { key, value in
            guard let slash = key.firstIndex(of: "/") else { return nil }
            return Counter(operator: String(key[..<slash]), event: String(key[key.index(after: slash)...]), value: value)
        }.sorted { ($0.operator, $0.event) < ($1.operator, $1.event) }
        sinks = previews.map { Sink(vertex: $0.vertex, table: $0.table, orderBy: $0.orderBy, columns: $0.columns, rows: $0.rows, error: $0.error) }
    }
}
