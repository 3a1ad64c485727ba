import Logging
import Synchronization

/// Collects log lines, so a test can check what an operator would see.
public final class LogRecorder: Sendable {
    public struct Line: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
    }

    private let lines = Mutex<[Line]>([])

    public init() {}

    public func makeLogger(label: String) -> Logger {
        Logger(label: label) { _ in RecordingLogHandler(recorder: self) }
    }

    func record(_ line: Line) {
        lines.withLock { $0.append(line) }
    }

    /// True if some line at `level` mentions `text` in its message or metadata values.
    public func contains(_ level: Logger.Level, _ text: String) -> Bool {
        lines.withLock { lines in
            lines.contains { line in
                line.level == level
                    && (line.message.contains(text) || line.metadata.values.contains { "\($0)".contains(text) })
            }
        }
    }
}

/// The `LogHandler` that feeds a `LogRecorder`.
struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        recorder.record(.init(level: event.level, message: event.message.description,
                              metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
