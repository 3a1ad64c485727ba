/// The `metrics` object of a vertex in `GET /jobs/:id`: Flink's flat counters
/// (`read-records`, `write-bytes`, `…-complete`) plus Sluice's `backpressure-ratio` (the
/// highest of its subtasks, absent until two heartbeats arrived) and `operator-counters`
/// summed over the subtasks (key `"<operatorID>/<event>"`), and `current-watermark` (epoch ms,
/// the lowest of its subtasks; absent while one has none).
struct VertexMetrics: Encodable {
    var counters: [String: UInt64]
    var backPressureRatio: Double?
    var operatorCounters: [String: UInt64]
    var currentWatermark: Int64?
    /// Records the vertex's sources have not read yet (Flink's `pendingRecords`), summed over
    /// the subtasks that know theirs; nil for other vertices.
    var pendingRecords: UInt64?

    init(_ executions: [Execution]) {
        let sum = { (value: (Execution) -> UInt64) in executions.reduce(0) { $0 &+ value($1) } }
        let complete: UInt64 = !executions.isEmpty && executions.allSatisfy(\.state.isTerminal) ? 1 : 0
        counters = ["read-records": sum(\.recordsIn), "write-records": sum(\.recordsOut),
                    "read-bytes": sum(\.bytesIn), "write-bytes": sum(\.bytesOut),
                    "read-records-complete": complete, "write-records-complete": complete,
                    "read-bytes-complete": complete, "write-bytes-complete": complete]
        backPressureRatio = executions.compactMap(\.backPressureRatio).max()
        operatorCounters = Self.summed(executions.map(\.operatorCounters))
        let lowest = executions.map(\.watermark).min() ?? .min
        currentWatermark = lowest == .min ? nil : lowest
        let pending = executions.compactMap(\.pendingRecords)
        pendingRecords = pending.isEmpty ? nil : pending.reduce(0, &+)
    }

    /// Adds counters of several subtasks key by key.
    static func summed(_ counters: [[String: UInt64]]) -> [String: UInt64] {
        counters.reduce(into: [:]) { total, subtask in
            for (key, value) in subtask { total[key, default: 0] &+= value }
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in counters { try container.encode(value, forKey: Key(key)) }
        try container.encodeIfPresent(backPressureRatio, forKey: Key("backpressure-ratio"))
        try container.encode(operatorCounters, forKey: Key("operator-counters"))
        try container.encodeIfPresent(currentWatermark, forKey: Key("current-watermark"))
        try container.encodeIfPresent(pendingRecords, forKey: Key("pending-records"))
    }
}
