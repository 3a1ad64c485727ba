/// Exponential back-off restart strategy of a job (the `restart` section of a job spec).
///
/// The n-th consecutive restart waits `initial * multiplier^(n-1)`, capped at `max`; the count
/// of consecutive restarts resets after the job ran `resetAfter` without failing.
/// `maxAttempts == 0` restarts forever.
public struct RestartSettings: Sendable, Equatable {
    public var initialBackoffMillis: Int64
    public var maxBackoffMillis: Int64
    public var multiplier: Double
    public var resetAfterMillis: Int64
    public var maxAttempts: Int

    public init(initialBackoffMillis: Int64 = 100, maxBackoffMillis: Int64 = 10_000, multiplier: Double = 2,
                resetAfterMillis: Int64 = 60_000, maxAttempts: Int = 0) {
        self.initialBackoffMillis = initialBackoffMillis
        self.maxBackoffMillis = maxBackoffMillis
        self.multiplier = multiplier
        self.resetAfterMillis = resetAfterMillis
        self.maxAttempts = maxAttempts
    }
}
