import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

/// Eager mode: rows leave at once; an earlier in-window click arriving before the checkout is
/// final upserts a correction.
@Suite struct EagerAttributionTests {
    private let eager = settings(mode: .eager)

    @Test func checkoutIsEmittedImmediatelyWithTheBestClickKnown() {
        var run = AttributionRun(eager)
        run.feed(click("c1", at: "09:30:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        #expect(run.rows == [attributed("o1", to: "c1", at: "09:30:00")])
    }

    @Test func checkoutWithoutClickIsEmittedImmediatelyWithNullClick() {
        var run = AttributionRun(eager)
        run.feed(checkout("o1", at: "10:00:00"))
        #expect(run.rows == [unattributed("o1")])
    }

    @Test func earlierInWindowClickArrivingLaterEmitsACorrection() {
        var run = AttributionRun(eager)
        run.feed(click("c2", at: "09:40:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "09:15:00")
        run.feed(click("c1", at: "09:20:00"))
        #expect(run.corrections == [attributed("o1", to: "c1", at: "09:20:00")])
        #expect(run.sinkTable["o1"] == attributed("o1", to: "c1", at: "09:20:00"))
    }

    @Test func laterOrOutOfWindowClickEmitsNoCorrection() {
        var run = AttributionRun(eager)
        run.feed(click("c1", at: "09:20:00"))
        run.feed(checkout("o1", at: "10:00:00"))
        run.feed(click("c2", at: "09:40:00"))  // in window, but later than c1
        run.feed(click("c0", at: "08:50:00"))  // earlier, but outside the window
        run.feed(click("c3", at: "10:00:01"))  // after the checkout
        #expect(run.corrections.isEmpty)
    }

    @Test func eachRepeatPurchaseIsCorrectedOnlyIfTheClickIsInItsWindow() {
        var run = AttributionRun(eager)
        run.feed(checkout("o1", at: "10:00:00"))
        run.feed(checkout("o2", at: "11:30:00"))
        run.feed(click("c1", at: "10:15:00"))  // after o1, before o2's window [10:30, 11:30]
        run.feed(click("c2", at: "10:45:00"))  // only in o2's window
        #expect(run.corrections == [attributed("o2", to: "c2", at: "10:45:00")])
    }

    @Test func finalCheckoutIsForgottenWithoutBeingEmittedAgain() {
        var run = AttributionRun(eager)
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        #expect(run.rows.count == 1)
        #expect(run.corrections.isEmpty)
        #expect(run.state.pending.isEmpty)
    }

    @Test func clickArrivingAfterTheCheckoutIsFinalIsLateAndCorrectsNothing() {
        var run = AttributionRun(eager)
        run.feed(checkout("o1", at: "10:00:00"))
        run.advanceWatermark(to: "10:00:00")
        run.feed(click("c1", at: "09:30:00"))
        #expect(run.corrections.isEmpty)
        #expect(run.lateClicks == ["c1"])
    }
}
