/// Keeps a producer at a target rate: says how long to wait before the next record so that
/// record *n* goes out no earlier than `start + n / rate`. A rate of 0 never waits.
struct RatePacer {
    let rate: Double
    let start: ContinuousClock.Instant

    init(rate: Double, start: ContinuousClock.Instant = ContinuousClock.now) {
        self.rate = rate
        self.start = start
    }

    /// How long to wait before record number `sent` (0-based) may go, or nil to go now.
    func delay(beforeRecord sent: Int, now: ContinuousClock.Instant = ContinuousClock.now) -> Duration? {
        guard rate > 0 else { return nil }
        let due = start + .seconds(Double(sent) / rate)
        return due > now ? due - now : nil
    }
}
