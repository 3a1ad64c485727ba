import SluiceEngine
import SluiceAttribution

/// What a datagen run produced and delivered.
public struct DatagenSummary: Sendable {
    public var counts: DatagenCounts
    public var delivered: Int
    public var failed: Int
    public var elapsedSeconds: Double
    /// Partitions whose oldest data the broker already dropped (low watermark > 0) when the run ended.
    public var truncatedPartitions: [String] = []
    /// The run was stopped before reaching `--events` (Ctrl-C).
    public var interrupted = false

    /// Records per second, from the first record to the end of the final flush.
    public var rate: Double { elapsedSeconds > 0 ? Double(counts.records) / elapsedSeconds : 0 }

    /// The lines the CLI prints at the end.
    public var lines: [String] {
        let c = counts
        var lines = [
            "datagen \(interrupted ? "stopped" : "done"): \(c.records) records in \(DatagenProgress.fixed(elapsedSeconds, 2)) s "
                + "(\(Int(rate.rounded())) records/s), \(delivered) delivered, \(failed) failed, \(c.bytes / 1024) KiB of JSON",
            "  clicks \(c.clicks), checkouts \(c.checkouts) (unknown-user \(c.unknownUserCheckouts), without click \(c.noClickCheckouts), "
                + "repeat \(c.repeatCheckouts), revisit \(c.revisitCheckouts)), malformed \(c.malformed)"
                + (c.malformedByKind.isEmpty ? "" : " ("
                    + MalformedKind.allCases.compactMap { kind in c.malformedByKind[kind].map { "\(kind.rawValue) \($0)" } }.joined(separator: ", ") + ")"),
        ]
        if let first = c.firstEventTime, let last = c.lastEventTime {
            lines.append("  event time \(EventTimeFormat.format(first)) … \(EventTimeFormat.format(last)) UTC")
        }
        if !truncatedPartitions.isEmpty {
            lines.append("  note: the broker already dropped old data of \(truncatedPartitions.joined(separator: ", ")) "
                + "(the dev broker keeps ~5 MiB per partition); `sluice verify` will compare only what is left")
        }
        return lines
    }
}
