import Foundation

/// Job-level questions failover tests ask a JobManager: submit, progress, checkpoints, stop,
/// and waits for the states a test needs next. Every wait polls a condition with a deadline and
/// ends early (`JobEndedError`) when the job can no longer get there.
extension RESTProbe {
    /// `POST /jobs[?query]` with `spec` (may be empty with `fromCheckpoint`); returns the job id.
    public func submit(_ spec: String, query: String = "") async throws -> String {
        let reply = try await request("/jobs" + (query.isEmpty ? "" : "?\(query)"), method: "POST", body: Data(spec.utf8))
        guard reply.status == 202, let id = try? reply.object()["jobid"] as? String else {
            throw TestSupportError.commandFailed(command: "POST /jobs?\(query)", status: Int32(reply.status), output: reply.text)
        }
        return id
    }

    public func jobProgress(_ id: String) async throws -> JobProgress {
        try JobProgress(json: try await get("/jobs/\(id)").object())
    }

    /// `latest.completed.id` of `GET /jobs/:id/checkpoints`, nil while no checkpoint completed.
    public func latestCompletedCheckpoint(_ id: String) async throws -> Int? {
        let latest = try await get("/jobs/\(id)/checkpoints").object()["latest"] as? [String: Any]
        return (latest?["completed"] as? [String: Any])?["id"] as? Int
    }

    /// `counts.total` of `GET /jobs/:id/checkpoints`: checkpoints triggered so far, whatever became of them.
    public func checkpointsTriggered(_ id: String) async throws -> Int {
        let counts = try await get("/jobs/\(id)/checkpoints").object()["counts"] as? [String: Any]
        guard let total = counts?["total"] as? Int else {
            throw TestSupportError.commandFailed(command: "GET /jobs/\(id)/checkpoints", status: 0, output: "no counts.total in \(String(describing: counts))")
        }
        return total
    }

    /// The registered TaskManagers with their slot use.
    public func taskManagers() async throws -> [TaskManagerSlots] {
        let list = try await get("/taskmanagers").object()["taskmanagers"] as? [[String: Any]] ?? []
        return try list.map(TaskManagerSlots.init(json:))
    }

    /// `POST /jobs/:id/stop`: stop-with-checkpoint; returns the final checkpoint's id and location.
    public func stopWithCheckpoint(_ id: String) async throws -> (checkpoint: Int, location: String) {
        let reply = try await request("/jobs/\(id)/stop", method: "POST")
        guard reply.status == 200, let body = try? reply.object(), let checkpoint = body["checkpoint-id"] as? Int,
              let location = body["location"] as? String else {
            throw TestSupportError.commandFailed(command: "POST /jobs/\(id)/stop", status: Int32(reply.status), output: reply.text)
        }
        return (checkpoint, location)
    }

    /// Waits until every task of the job runs and `accept` holds for it (e.g. a given attempt).
    @discardableResult
    public func waitForAllTasksRunning(_ id: String, _ what: String = "", timeout: Duration = .seconds(60),
                                       where accept: (JobProgress) -> Bool = { _ in true }) async throws -> JobProgress {
        try await waitFor("all tasks of job \(id) running \(what)", timeout: timeout) {
            let progress = try await jobProgress(id)
            try progress.ensureCanReach("all tasks RUNNING \(what)")
            return progress.allTasksRunning && accept(progress) ? progress : nil
        }
    }

    /// Waits until a checkpoint newer than `after` completed; returns its id.
    @discardableResult
    public func waitForCheckpoint(_ id: String, after: Int?, timeout: Duration = .seconds(60)) async throws -> Int {
        try await waitFor("job \(id) to complete a checkpoint after \(after.map(String.init) ?? "none")", timeout: timeout) {
            try await jobProgress(id).ensureCanReach("a completed checkpoint")
            guard let latest = try await latestCompletedCheckpoint(id), latest > (after ?? 0) else { return nil }
            return latest
        }
    }

    /// The operator counters of the job (`"<operator>/<event>"`), summed over its vertices.
    public func operatorCounters(_ id: String) async throws -> [String: Int] {
        let vertices = try await get("/jobs/\(id)").object()["vertices"] as? [[String: Any]] ?? []
        return vertices.compactMap { ($0["metrics"] as? [String: Any])?["operator-counters"] as? [String: Int] }
            .reduce(into: [:]) { $0.merge($1, uniquingKeysWith: +) }
    }

    /// `metrics.pending-records` of each vertex that reports it (Kafka sources), in vertex order.
    public func pendingRecords(_ id: String) async throws -> [Int] {
        let vertices = try await get("/jobs/\(id)").object()["vertices"] as? [[String: Any]] ?? []
        return vertices.compactMap { ($0["metrics"] as? [String: Any])?["pending-records"] as? Int }
    }

    /// Waits until every Kafka source of the job read all there is (`pending-records` 0 each).
    public func waitUntilSourcesCaughtUp(_ id: String, sources: Int, timeout: Duration = .seconds(120)) async throws {
        try await waitUntil("the \(sources) sources of job \(id) read everything", timeout: timeout, interval: .milliseconds(500)) {
            try await pendingRecords(id) == Array(repeating: 0, count: sources)
        }
    }

    /// Waits until the job is FINISHED; fails at once when it FAILED or was CANCELED.
    @discardableResult
    public func waitForJobToFinish(_ id: String, timeout: Duration) async throws -> JobProgress {
        try await waitFor("job \(id) to finish", timeout: timeout, interval: .milliseconds(250)) {
            let progress = try await jobProgress(id)
            try progress.ensureCanReach("FINISHED")
            return progress.state == "FINISHED" ? progress : nil
        }
    }
}
