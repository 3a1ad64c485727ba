import Logging

/// The metadata every log line about one subtask attempt carries — `job`, `vertex`,
/// `subtask`, `attempt` — built in one place so the TaskManager's task loggers and the
/// JobManager's lines about a task use the same keys (log queries filter on them).
///
/// Pure value helpers; no state.
public enum TaskLogMetadata {
    /// The metadata of subtask `subtask` of `vertex`, attempt `attempt`, of job `job`.
    public static func of(job: String, vertex: String, subtask: Int, attempt: UInt32) -> Logger.Metadata {
        ["job": "\(job)", "vertex": "\(vertex)", "subtask": "\(subtask)", "attempt": "\(attempt)"]
    }

    /// `logger` with that metadata added (what a task's own logger is).
    public static func logger(_ logger: Logger, job: String, vertex: String, subtask: Int, attempt: UInt32) -> Logger {
        var logger = logger
        for (key, value) in of(job: job, vertex: vertex, subtask: subtask, attempt: attempt) { logger[metadataKey: key] = value }
        return logger
    }
}
