import SluiceCore
import Testing

@Suite struct BackoffTests {
    @Test func delaysDoubleUpToTheCap() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(1_000))
        let delays = (0..<6).map { _ in backoff.next() }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                           .milliseconds(1_000), .milliseconds(1_000)])
    }

    @Test func resetStartsOverAtTheInitialDelay() {
        var backoff = Backoff(initial: .milliseconds(50), maximum: .seconds(2))
        _ = backoff.next(); _ = backoff.next()
        backoff.reset()
        #expect(backoff.next() == .milliseconds(50))
    }

    @Test func jitterOnlyShortensTheDelay() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(100), jitter: 0.5)
        for _ in 0..<100 {
            let delay = backoff.next()
            #expect(delay <= .milliseconds(100) && delay >= .milliseconds(50))
        }
    }
}
