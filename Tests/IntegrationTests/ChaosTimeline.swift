import Foundation
import SluiceCore
import Testing

/// What happened when in one failure-injection run (kills, recoveries, checkpoints, the end),
/// with seconds since the run started. Attached to the test (`swift test --attachments-path DIR`
/// saves it) and put into failure messages, so a run's recovery times can be read afterwards.
///
/// A value owned by the test's task.
struct ChaosTimeline: CustomStringConvertible {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lines: [String] = []

    init() {
        start = clock.now
    }

    var now: ContinuousClock.Instant { clock.now }

    mutating func note(_ line: String) {
        lines.append("\(Self.seconds(clock.now - start)) s  \(line)")
    }

    /// `12.34`: a duration in seconds with two decimals, for notes like "recovered in 0.84 s".
    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.milliseconds) / 1_000)
    }

    var description: String { lines.joined(separator: "\n") }

    func attach(named name: String) {
        Attachment.record(description, named: "\(name).txt")
    }
}
