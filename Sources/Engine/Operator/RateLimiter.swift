import Foundation

/// A token bucket over wall-clock time: at most `perSecond` units on average, with bursts of up
/// to a tenth of a second's worth. Used on one thread (the task's).
public final class RateLimiter {
    private let perSecond: Double
    private var tokens: Double
    private var last: Date

    public init(perSecond: Int) {
        self.perSecond = Double(perSecond)
        tokens = 0
        last = Date()
    }

    /// Whole units that may be spent now.
    public func available(now: Date = Date()) -> Int {
        tokens = min(tokens + now.timeIntervalSince(last) * perSecond, max(1, perSecond / 10))
        last = now
        return Int(tokens)
    }

    public func spend(_ units: Int) {
        tokens -= Double(units)
    }
}
