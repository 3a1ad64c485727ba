import Foundation
import SluiceTools

/// Shows the datagen's progress on standard error: on a terminal one line rewritten in place
/// (`\r`) every ~0.5 s; otherwise (a log file, CI) a plain line every 5 s.
final class ProgressPrinter {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let interval: Duration
    private var lastPrint: ContinuousClock.Instant?
    private var lastWidth = 0

    init() {
        interval = isTerminal ? .milliseconds(500) : .seconds(5)
    }

    func update(_ progress: DatagenProgress) {
        let now = ContinuousClock.now
        if let lastPrint, now - lastPrint < interval { return }
        lastPrint = now
        let line = progress.line
        if isTerminal {
            let padding = String(repeating: " ", count: max(0, lastWidth - line.count))
            lastWidth = line.count
            write("\r" + line + padding)
        } else {
            write(line + "\n")
        }
    }

    /// Ends the in-place line so the summary starts on a fresh one.
    func finish() {
        if isTerminal, lastWidth > 0 { write("\n") }
        lastWidth = 0
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
