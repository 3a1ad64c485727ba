import Foundation
import SluiceEngine

/// Decides whether a failed job restarts and after how long (exponential back-off).
///
/// A value owned by one `JobMaster` (behind its lock). The n-th consecutive restart waits
/// `initial * multiplier^(n-1)`, capped; the streak resets once an attempt ran `resetAfter`
/// without failing; with `maxAttempts > 0` the streak may not exceed it.
struct RestartStrategy: Sendable {
    let settings: RestartSettings
    private(set) var consecutive = 0
    private(set) var total = 0

    init(_ settings: RestartSettings) {
        self.settings = settings
    }

    /// A task failed at `now`; the attempt had all tasks running since `runningSince` (if it got
    /// that far). Returns the back-off before the restart, or nil when the job must fail.
    mutating func failure(now: Int64, runningSince: Int64?) -> Duration? {
        if let runningSince, now - runningSince >= settings.resetAfterMillis { consecutive = 0 }
        if settings.maxAttempts > 0 && consecutive >= settings.maxAttempts { return nil }
        let backoff = Double(settings.initialBackoffMillis) * pow(settings.multiplier, Double(consecutive))
        consecutive += 1
        total += 1
        return .milliseconds(Int64(min(backoff, Double(settings.maxBackoffMillis))))
    }
}
