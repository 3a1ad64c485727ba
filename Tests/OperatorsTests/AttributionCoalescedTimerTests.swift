import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

/// `coalescedTimer`: checkouts fire exactly when final, clicks' expiry is rounded up to a
/// granularity so one firing purges a visit's clicks.
@Suite struct AttributionCoalescedTimerTests {
    @Test func aPendingCheckoutFiresExactlyWhenFinal() {
        var run = AttributionRun(settings(lateness: .seconds(60)))
        run.feed(click("c1", at: "09:30:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        #expect(run.attribution.coalescedTimer(run.state) == time("10:01:00"))
    }

    @Test func aClickExpiresAtMostOneGranularityLateOnAGranularityBoundary() throws {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:00:07"))
        let exact = try #require(run.attribution.nextTimer(run.state))
        let coalesced = try #require(run.attribution.coalescedTimer(run.state))
        let granularity = run.attribution.purgeGranularityMillis
        #expect(granularity == 3_600_000 / 32)
        #expect(coalesced >= exact && coalesced - exact < granularity)
        #expect(coalesced % granularity == 0)
    }

    @Test func oneFiringPurgesAVisitsClicks() throws {
        var run = AttributionRun()
        // Clicks of one visit, seconds apart: the rounded expiry of the first one covers all of
        // them unless a granularity boundary falls between them (then at most two firings).
        for (index, clock) in ["09:00:01", "09:00:03", "09:00:09"].enumerated() { run.feed(click("c\(index)", at: clock)) }
        var firings = 0
        while let timer = run.attribution.coalescedTimer(run.state) {
            run.advanceWatermark(to: timer)
            firings += 1
        }
        #expect(run.state.isEmpty)
        #expect(firings <= 2, "exact timers would fire once per click")
    }

    @Test func aKeyThatKeepsReceivingClicksHoldsNoClickOlderThanTheWindow() {
        var run = AttributionRun()
        // A click every 10 minutes for 5 hours, the watermark following: each record first purges
        // what expired, whether or not the key's purge timer fired in between.
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        for minute in stride(from: 0, to: 300, by: 10) {
            let clock = "\(twoDigits(6 + minute / 60)):\(twoDigits(minute % 60)):00"
            run.advanceWatermark(to: time(clock) - 1)
            run.feed(click("c\(minute)", at: clock))
            #expect(run.state.clicks.allSatisfy { $0.time >= time(clock) - 3_600_000 })
        }
        #expect(run.state.clicks.count == 7)  // the last hour's, both ends included
    }

    @Test func noClickIsPurgedBeforeItExpires() throws {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:00:07"))
        let timer = try #require(run.attribution.coalescedTimer(run.state))
        let exact = try #require(run.attribution.nextTimer(run.state))
        run.advanceWatermark(to: exact - 1)
        #expect(run.state.clicks.count == 1)
        run.advanceWatermark(to: timer)
        #expect(run.state.isEmpty)
    }
}
