/// A progress snapshot while the datagen produces, and the one-line text the CLI shows for it.
public struct DatagenProgress: Sendable {
    public var counts: DatagenCounts
    /// Records librdkafka confirmed as delivered so far.
    public var delivered: Int
    public var elapsedSeconds: Double
    /// The target record count, nil when unbounded.
    public var target: Int?

    /// Records per second since the start.
    public var rate: Double { elapsedSeconds > 0 ? Double(counts.records) / elapsedSeconds : 0 }

    /// E.g. `datagen: 120000/1000000 records (12.0%), 98765 delivered, 105312/s, 1204 malformed, 10.0 s`.
    public var line: String {
        var text = "datagen: \(counts.records)"
        if let target, target > 0 {
            text += "/\(target) records (\(Self.fixed(100 * Double(counts.records) / Double(target), 1))%)"
        } else {
            text += " records"
        }
        return text + ", \(delivered) delivered, \(Int(rate.rounded()))/s, \(counts.malformed) malformed, "
            + "\(Self.fixed(elapsedSeconds, 1)) s"
    }

    /// `value` with `digits` decimals, without Foundation's formatters.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int64((value * scale).rounded())
        let whole = scaled / Int64(scale)
        guard digits > 0 else { return "\(whole)" }
        let fraction = String(scaled.magnitude % UInt64(scale))
        return "\(scaled < 0 && whole == 0 ? "-" : "")\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}
