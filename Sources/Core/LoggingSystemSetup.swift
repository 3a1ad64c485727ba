import Logging

/// Process-wide logging set-up for the executables: one line per event on standard error,
/// with the logger's metadata (job, vertex, subtask, attempt, taskmanager) appended.
public enum LoggingSystemSetup {
    /// Call once, first thing in `main`; later calls are ignored by swift-log.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
