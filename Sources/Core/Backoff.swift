/// Capped exponential back-off with optional jitter, as a pure value.
///
/// Used for TaskManager reconnects and (later) job restarts. `next()` returns the delay
/// to wait before the following attempt; `reset()` is called once an attempt succeeded.
public struct Backoff: Sendable, Equatable {
    public let initial: Duration
    public let maximum: Duration
    public let multiplier: Double
    /// Fraction of the delay that is randomised (0 = none), so that many TaskManagers
    /// reconnecting to a restarted JobManager do not arrive in lock-step.
    public let jitter: Double
    private var current: Duration?

    public init(initial: Duration, maximum: Duration, multiplier: Double = 2, jitter: Double = 0) {
        precondition(initial > .zero && maximum >= initial && multiplier >= 1 && (0...1).contains(jitter))
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The delay before the next attempt; grows geometrically up to `maximum`.
    public mutating func next<G: RandomNumberGenerator>(using generator: inout G) -> Duration {
        let base = current.map { min($0 * multiplier, maximum) } ?? initial
        current = base
        guard jitter > 0 else { return base }
        let factor = 1 - jitter * Double.random(in: 0...1, using: &generator)
        return base * factor
    }

    public mutating func next() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    public mutating func reset() { current = nil }
}
