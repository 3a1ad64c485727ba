/// Back-pressure as Flink reports it: the share of time a task waited for its consumers, and
/// the level the UI colours it by. Pure functions, no state.
public enum BackPressure {
    /// Flink's levels: ok ≤ 0.10 < low ≤ 0.5 < high.
    public enum Level: String, Sendable, Codable, Comparable {
        case ok, low, high

        public init(ratio: Double) {
            if ratio <= 0.10 {
                self = .ok
            } else if ratio <= 0.5 {
                self = .low
            } else {
                self = .high
            }
        }

        private var rank: Int {
            switch self {
            case .ok: 0
            case .low: 1
            case .high: 2
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    /// Back-pressured time over wall time between two samples, clamped to 0…1 (a task with
    /// several outputs can wait on more than one at once). Nil when no wall time passed or the
    /// counter went backwards (a new attempt of the task started from zero).
    public static func ratio(blockedBefore: UInt64, blockedNow: UInt64, wallMillis: Int64) -> Double? {
        guard wallMillis > 0, blockedNow >= blockedBefore else { return nil }
        return min(1, Double(blockedNow - blockedBefore) / Double(wallMillis))
    }
}
