import Hummingbird

/// `GET /jobs/:id/sink-preview`: the job's operator counters summed over subtasks (operator,
/// event, value) and the newest rows of each sink table that declares a preview.
struct SinkPreviewResponse: ResponseEncodable {
    struct Counter: Encodable {
        var `operator`: String
        var event: String
        var value: UInt64
    }

    var counters: [Counter]
    var sinks: [SinkPreviewTable]

    /// `operatorCounters`: `"<operator>/<event>"` → value, summed over subtasks.
    init(operatorCounters: [String: UInt64], previews: [SinkPreviewTable]) {
        counters = operatorCounters.compactMap { key, value in
            guard let slash = key.firstIndex(of: "/") else { return nil }
            return Counter(operator: String(key[..<slash]), event: String(key[key.index(after: slash)...]), value: value)
        }.sorted { ($0.operator, $0.event) < ($1.operator, $1.event) }
        sinks = previews
    }
}
