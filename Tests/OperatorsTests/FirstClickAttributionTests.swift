import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

/// The attribution rule of DESIGN.md §7 in on-watermark mode (the default).
@Suite struct FirstClickAttributionTests {
    @Test func clickExactlyOneHourBeforeCheckoutIsAttributed() {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:00:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:00:00")])
    }

    @Test func clickAtTheCheckoutTimeIsAttributed() {
        var run = AttributionRun()
        run.feed(click("c1", at: "10:00:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [attributed("o1", to: "c1", at: "10:00:00")])
    }

    @Test func clickOneMillisecondBeforeTheWindowIsNotAttributed() {
        var run = AttributionRun()
        run.feed(click("c1", at: "08:59:59.999"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [unattributed("o1")])
    }

    @Test func clickAfterTheCheckoutIsNotAttributed() {
        var run = AttributionRun()
        run.feed(checkout("o1", at: "10:00:00"))
        run.feed(click("c1", at: "10:00:00.001"))
        run.advanceWatermark(to: "10:00:00.001")
        #expect(run.rows == [unattributed("o1")])
    }

    @Test func checkoutWithoutClickInWindowYieldsNullClick() {
        var run = AttributionRun()
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [unattributed("o1")])
    }

    @Test func earliestOfSeveralInWindowClicksIsAttributed() {
        var run = AttributionRun()
        run.feed(click("c3", at: "09:50:00"))
        run.feed(click("c1", at: "09:10:00"))
        run.feed(click("c2", at: "09:30:00"))
        run.feed(click("c0", at: "08:30:00"))  // outside the window: earlier, but must not win
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:10:00")])
    }

    @Test func tieOnTimeGoesToTheSmallerClickID() {
        var run = AttributionRun()
        run.feed(click("c9", at: "09:30:00"))
        run.feed(click("c10", at: "09:30:00"))  // "c10" < "c9" in byte order
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [attributed("o1", to: "c10", at: "09:30:00")])
    }

    @Test func tieBreakUsesByteOrderNotLocaleOrder() {
        var run = AttributionRun()
        run.feed(click("a", at: "09:30:00"))
        run.feed(click("B", at: "09:30:00"))  // 'B' (0x42) < 'a' (0x61)
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows.map(\.clickID) == ["B"])
    }

    @Test func repeatPurchasesEachGetARowWithTheirOwnEarliestClick() {
        var run = AttributionRun()
        run.feed(click("c1", at: "08:30:00"))
        run.feed(click("c2", at: "09:45:00"))
        run.feed(checkout("o1", at: "09:00:00"))
        run.feed(checkout("o2", at: "10:40:00"))  // c1 is outside this one's window
        run.feed(checkout("o3", at: "11:30:00"))  // no click in [10:30, 11:30]
        run.advanceWatermark(to: "12:00:00")
        #expect(run.rows == [
            attributed("o1", to: "c1", at: "08:30:00"),
            attributed("o2", to: "c2", at: "09:45:00"),
            unattributed("o3"),
        ])
    }

    @Test func twoCheckoutsAtTheSameTimeBothGetTheSameClick() {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:30:00"))
        run.feed(checkout("o2", at: "10:00:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:30:00"), attributed("o2", to: "c1", at: "09:30:00")])
    }

    @Test func checkoutIsEmittedOnlyOnceTheWatermarkReachesItsTime() {
        var run = AttributionRun()
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "09:59:59.999")
        #expect(run.rows.isEmpty)
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [unattributed("o1")])
        run.advanceWatermark(to: "11:00:00")
        #expect(run.rows.count == 1, "a checkout is emitted exactly once")
    }

    @Test func outOfOrderClickArrivingBeforeTheWatermarkPassesTheCheckoutCounts() {
        var run = AttributionRun()
        run.feed(click("c2", at: "09:40:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "09:15:00")
        run.feed(click("c1", at: "09:20:00"))  // arrives after its checkout, still ahead of the watermark
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:20:00")])
        #expect(run.lateClicks.isEmpty)
    }

    @Test func rowsCarryTheWholeCheckoutAndLeaveTheUserNameToEnrichment() throws {
        var run = AttributionRun()
        let purchase = checkout("o1", at: "10:00:00")
        run.feed(click("c1", at: "09:30:00"))
        run.feed(purchase)
        run.advanceWatermark(to: "10:00:00")
        let row = try #require(run.outputs.flatMap(\.rows).first)
        #expect(row.checkout == purchase)
        #expect(row.userName == nil)
    }

    @Test func duplicateClickIsStoredOnce() {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:30:00"))
        run.feed(click("c1", at: "09:30:00"))
        #expect(run.state.clicks.count == 1)
    }

    @Test func redeliveredCheckoutYieldsOneRow() {
        var run = AttributionRun()
        run.feed(checkout("o1", at: "10:00:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [unattributed("o1")])
    }

    @Test func endOfInputWatermarkEmitsEverythingAndEmptiesTheState() {
        var run = AttributionRun()
        run.feed(click("c1", at: "09:30:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.feed(checkout("o2", at: "23:00:00"))
        run.advanceWatermark(to: .max)
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:30:00"), unattributed("o2")])
        #expect(run.state.isEmpty)
        #expect(run.last?.stateIsEmpty == true)
    }

    @Test func windowLengthComesFromTheSettings() {
        var run = AttributionRun(settings(window: .seconds(600)))
        run.feed(click("c1", at: "09:49:59.999"))
        run.feed(click("c2", at: "09:50:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows == [attributed("o1", to: "c2", at: "09:50:00")])
    }
}
