import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

/// Late events, state purging and timers: what keeps results deterministic and state bounded.
@Suite struct AttributionLatenessTests {
    @Test func clickAtOrBeforeTheWatermarkIsReportedLateAndNotStored() {
        var run = AttributionRun()
        run.advanceWatermark(to: "10:00:00")
        run.feed(click("c1", at: "10:00:00"))  // a watermark promises nothing at or before it comes
        run.feed(click("c0", at: "09:30:00"))
        #expect(run.lateClicks == ["c1", "c0"])
        #expect(run.state.isEmpty)
        #expect(run.last?.stateIsEmpty == true)
    }

    @Test func lateClickDoesNotChangeAnyRow() {
        var run = AttributionRun()
        run.feed(click("c2", at: "10:30:00"))
        run.feed(checkout("o1", at: "10:40:00"))
        run.advanceWatermark(to: "10:20:00")
        run.feed(click("c1", at: "10:10:00"))  // late: refused even though o1 is still pending
        run.advanceWatermark(to: "10:40:00")
        #expect(run.rows == [attributed("o1", to: "c2", at: "10:30:00")])
        #expect(run.lateClicks == ["c1"])
    }

    @Test func clickOneMillisecondAfterTheWatermarkIsAccepted() {
        var run = AttributionRun()
        run.advanceWatermark(to: "10:00:00")
        run.feed(click("c1", at: "10:00:00.001"))
        #expect(run.lateClicks.isEmpty)
        #expect(run.state.clicks.map(\.clickID) == ["c1"])
    }

    @Test func lateCheckoutIsReportedAndNeverEmitted() {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:30:00"))
        run.advanceWatermark(to: "10:00:00")
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: .max)
        #expect(run.lateCheckouts == ["o1"])
        #expect(run.rows.isEmpty)
        #expect(run.state.isEmpty)
    }

    @Test func allowedLatenessAcceptsOlderEventsAndDelaysFinality() {
        var run = AttributionRun(settings(lateness: .seconds(300)))
        run.advanceWatermark(to: "10:00:00")
        run.feed(checkout("o1", at: "09:59:00"))  // 1 min behind the watermark, 5 min allowed
        run.advanceWatermark(to: "10:03:00")
        run.feed(click("c1", at: "09:58:30"))  // 4.5 min behind: still accepted, still counts
        run.advanceWatermark(to: "10:03:59.999")
        #expect(run.rows.isEmpty, "final only once the watermark reaches T + lateness")
        run.advanceWatermark(to: "10:04:00")
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:58:30")])
        #expect(run.lateClicks.isEmpty && run.lateCheckouts.isEmpty)
    }

    @Test func eventsBeyondTheAllowedLatenessAreLate() {
        var run = AttributionRun(settings(lateness: .seconds(300)))
        run.advanceWatermark(to: "10:00:00")
        run.feed(checkout("o1", at: "09:55:00"))
        run.feed(click("c1", at: "09:55:00"))
        #expect(run.lateCheckouts == ["o1"])
        #expect(run.lateClicks == ["c1"])
    }

    @Test func clickIsKeptWhileAFutureCheckoutCanStillUseIt() {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:00:00"))
        run.advanceWatermark(to: "09:59:59.999")
        #expect(run.state.clicks.map(\.clickID) == ["c1"], "a checkout at 10:00:00 is not late yet")
        run.advanceWatermark(to: "10:00:00")
        #expect(run.state.isEmpty, "every checkout that could use c1 is now late")
    }

    @Test func checkoutArrivingJustBeforeItsClickExpiresStillGetsIt() {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:00:00"))
        run.advanceWatermark(to: "09:59:59.999")
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:00:00")])
    }

    @Test func stateIsEmptyAfterTheWatermarkAdvancesTwoHours() {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:10:00"))
        run.feed(click("c2", at: "09:40:00"))
        run.feed(checkout("o1", at: "09:50:00"))
        run.feed(click("c3", at: "10:00:00"))
        run.advanceWatermark(to: "12:00:00")
        #expect(run.state.isEmpty)
        #expect(run.last?.stateIsEmpty == true)
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:10:00")])
    }

    @Test func stateHoldsOnlyClicksOfTheLastWindowUnderASteadyStream() {
        var run = AttributionRun()
        for minute in 0..<600 {
            let clock = "\(10 + minute / 60):\(minute % 60 < 10 ? "0" : "")\(minute % 60):00"
            run.feed(click("c\(minute)", at: clock))
            run.advanceWatermark(to: time(clock) - 1)
        }
        #expect(run.state.clicks.count <= 61)
    }

    @Test func nextTimerIsNilForAnEmptyState() {
        #expect(FirstClickAttribution().nextTimer(AttributionKeyState()) == nil)
    }

    @Test func nextTimerOfAClickIsWhenItExpires() {
        var run = AttributionRun(settings(lateness: .seconds(60)))
        run.feed(click("c1", at: "09:00:00"))
        #expect(run.attribution.nextTimer(run.state) == time("10:01:00"))
    }

    @Test func nextTimerOfAPendingCheckoutIsWhenItBecomesFinal() {
        var run = AttributionRun(settings(lateness: .seconds(60)))
        run.feed(click("c1", at: "09:30:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        #expect(run.attribution.nextTimer(run.state) == time("10:01:00"))
        run.advanceWatermark(to: "10:01:00")
        #expect(run.rows.count == 1)
        #expect(run.attribution.nextTimer(run.state) == time("10:31:00"), "then the click's expiry")
    }

    @Test func firingAtNextTimerEmitsThePendingCheckout() throws {
        var run = AttributionRun()
        run.feed(checkout("o1", at: "10:00:00"))
        let timer = try #require(run.attribution.nextTimer(run.state))
        run.advanceWatermark(to: timer - 1)
        #expect(run.rows.isEmpty)
        run.advanceWatermark(to: timer)
        #expect(run.rows == [unattributed("o1")])
        #expect(run.attribution.nextTimer(run.state) == nil)
    }

    @Test func recordsCatchUpWithTheWatermarkEvenIfNoTimerFired() {
        var run = AttributionRun()
        run.feed(checkout("o1", at: "10:00:00"))
        run.watermark = time("10:30:00")  // the runtime skipped the timer
        run.feed(click("c9", at: "10:45:00"))
        #expect(run.rows == [unattributed("o1")])
    }

    @Test func settingsRefuseNegativeDurations() {
        #expect(throws: AttributionSettingsError.negative(setting: "window", value: .seconds(-1))) {
            _ = try AttributionSettings(window: .seconds(-1))
        }
        #expect(throws: AttributionSettingsError.negative(setting: "allowed lateness", value: .seconds(-5))) {
            _ = try AttributionSettings(allowedLateness: .seconds(-5))
        }
    }

    @Test func emitModeIsParsedFromItsJobSpecName() throws {
        #expect(try AttributionSettings.EmitMode.parse("on-watermark") == .onWatermark)
        #expect(try AttributionSettings.EmitMode.parse("eager") == .eager)
        #expect(throws: AttributionSettingsError.unknownEmitMode("lazy")) {
            _ = try AttributionSettings.EmitMode.parse("lazy")
        }
    }

    @Test func defaultSettingsAreOneHourNoLatenessOnWatermark() {
        let defaults = AttributionSettings.default
        #expect(defaults.windowMillis == 3_600_000)
        #expect(defaults.allowedLatenessMillis == 0)
        #expect(defaults.emitMode == .onWatermark)
    }
}
