/// A job as `GET /jobs/:id` describes it, reduced to what failover tests judge: state, attempt,
/// restarts, how many of its tasks run, and each vertex's parallelism.
///
/// A plain value decoded from the REST reply; decoding fails (with the body) rather than
/// guessing when a field is missing, so a changed REST shape breaks tests loudly.
public struct JobProgress: Sendable, Equatable {
    public var id: String
    /// Flink's job status name: CREATED, RUNNING, RESTARTING, FINISHED, FAILED, CANCELED, …
    public var state: String
    public var attempt: Int
    public var numRestarts: Int
    public var runningTasks: Int
    public var totalTasks: Int
    public var lineage: String
    /// The checkpoint the current attempt started from, if any.
    public var restoredCheckpoint: Int?
    public var failureCause: String?
    /// Vertex id → parallelism.
    public var parallelism: [String: Int]

    public init(json: [String: Any]) throws {
        guard let id = json["jid"] as? String, let state = json["state"] as? String, let attempt = json["attempt"] as? Int,
              let numRestarts = json["numRestarts"] as? Int, let counts = json["status-counts"] as? [String: Int],
              let lineage = json["lineage"] as? String, let vertices = json["vertices"] as? [[String: Any]] else {
            throw TestSupportError.commandFailed(command: "decode GET /jobs/:id", status: 0, output: "\(json)")
        }
        self.id = id
        self.state = state
        self.attempt = attempt
        self.numRestarts = numRestarts
        runningTasks = counts["running"] ?? 0
        totalTasks = counts["total"] ?? 0
        self.lineage = lineage
        restoredCheckpoint = json["restored-checkpoint"] as? Int
        failureCause = json["failure-cause"] as? String
        parallelism = Dictionary(vertices.compactMap { vertex in
            (vertex["id"] as? String).flatMap { id in (vertex["parallelism"] as? Int).map { (id, $0) } }
        }, uniquingKeysWith: { first, _ in first })
    }

    /// Every task of the current attempt runs (so checkpoints can be triggered).
    public var allTasksRunning: Bool { state == "RUNNING" && totalTasks > 0 && runningTasks == totalTasks }

    /// FAILED or CANCELED: the job will never finish.
    public var endedBadly: Bool { state == "FAILED" || state == "CANCELED" }

    /// Throws `JobEndedError` (which ends a wait) when the job can no longer reach `expected`:
    /// it ended badly, or it already finished while the test still needs it running.
    public func ensureCanReach(_ expected: String) throws {
        if endedBadly || (expected != "FINISHED" && state == "FINISHED") {
            throw JobEndedError(progress: self, expected: expected)
        }
    }
}
