import Hummingbird

/// `GET /jobs/:id/vertices/:vid/backpressure`, in Flink's shape: the vertex's level (the worst
/// subtask's) and each subtask's back-pressured ratio between its last two heartbeats. A
/// subtask without two heartbeats yet reports ratio 0. Sluice does not measure busy time, so
/// `busyRatio` is null.
struct BackPressureResponse: ResponseEncodable {
    struct Subtask: Encodable {
        var subtask: Int
        var level: BackPressure.Level
        var ratio: Double
        var backPressuredRatio: Double
        var busyRatio: Double?
        var sampled: Bool

        enum CodingKeys: String, CodingKey { case subtask, level = "backpressure-level", ratio, backPressuredRatio, busyRatio, sampled }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(subtask, forKey: .subtask)
            try container.encode(level, forKey: .level)
            try container.encode(ratio, forKey: .ratio)
            try container.encode(backPressuredRatio, forKey: .backPressuredRatio)
            try container.encode(busyRatio, forKey: .busyRatio)
            try container.encode(sampled, forKey: .sampled)
        }
    }

    var status = "ok"
    var level: BackPressure.Level
    var endTimestamp: Int64
    var subtasks: [Subtask]

    enum CodingKeys: String, CodingKey { case status, level = "backpressure-level", endTimestamp = "end-timestamp", subtasks }

    /// `executions`: the vertex's subtasks in index order.
    init(_ executions: [Execution], now: Int64) {
        subtasks = executions.enumerated().map { index, execution in
            let ratio = execution.backPressureRatio ?? 0
            return Subtask(subtask: index, level: BackPressure.Level(ratio: ratio), ratio: ratio, backPressuredRatio: ratio,
                           busyRatio: nil, sampled: execution.backPressureRatio != nil)
        }
        level = subtasks.map(\.level).max() ?? .ok
        let sampled = executions.map(\.sampledAt).max() ?? -1
        endTimestamp = sampled >= 0 ? sampled : now
    }
}
