import SluiceEngine
import Testing
@testable import SluiceJobManager

/// The exponential back-off restart strategy.
@Suite struct RestartStrategyTests {
    @Test func backoffDoublesUpToTheCapAndResetsAfterAStableRun() {
        var strategy = RestartStrategy(RestartSettings(initialBackoffMillis: 100, maxBackoffMillis: 350, multiplier: 2,
                                                       resetAfterMillis: 10_000, maxAttempts: 0))
        #expect(strategy.failure(now: 0, runningSince: nil) == .milliseconds(100))
        #expect(strategy.failure(now: 500, runningSince: 400) == .milliseconds(200))
        #expect(strategy.failure(now: 900, runningSince: 800) == .milliseconds(350), "capped")
        #expect(strategy.failure(now: 30_000, runningSince: 1_000) == .milliseconds(100), "29 s running resets the streak")
        #expect(strategy.total == 4)
    }

    @Test func maxAttemptsBoundsConsecutiveRestartsOnly() {
        var strategy = RestartStrategy(RestartSettings(initialBackoffMillis: 10, maxBackoffMillis: 10, multiplier: 1,
                                                       resetAfterMillis: 1_000, maxAttempts: 2))
        #expect(strategy.failure(now: 0, runningSince: nil) != nil)
        #expect(strategy.failure(now: 10, runningSince: nil) != nil)
        #expect(strategy.failure(now: 20, runningSince: nil) == nil, "a third failure in a row fails the job")
        #expect(strategy.failure(now: 5_000, runningSince: 2_000) != nil, "after a stable run the streak starts over")
    }
}
