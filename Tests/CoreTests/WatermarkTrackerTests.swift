import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

@Suite struct WatermarkTrackerTests {
    @Test func watermarkIsTheSlowestActivePartitionMinusTheBoundMinusOne() {
        var tracker = WatermarkTracker(outOfOrderness: 1_000, idleTimeout: 10_000)
        tracker.addPartition(0, now: 0)
        tracker.addPartition(1, now: 0)
        tracker.observe(partition: 0, eventTime: 50_000, now: 100)
        #expect(tracker.advance(now: 100) == nil, "partition 1 delivered nothing yet and is not idle")
        tracker.observe(partition: 1, eventTime: 20_000, now: 200)
        #expect(tracker.advance(now: 200) == 18_999)
    }

    @Test func idlePartitionStopsHoldingTheWatermarkBack() {
        var tracker = WatermarkTracker(outOfOrderness: 0, idleTimeout: 5_000)
        tracker.addPartition(0, now: 0)
        tracker.addPartition(1, now: 0)
        tracker.observe(partition: 0, eventTime: 1_000, now: 0)
        tracker.observe(partition: 1, eventTime: 9_000, now: 4_000)
        #expect(tracker.advance(now: 4_000) == 999)
        tracker.observe(partition: 1, eventTime: 12_000, now: 6_000)
        #expect(tracker.advance(now: 6_000) == 11_999, "partition 0 has been silent for 6 s")
    }

    @Test func aSourceIsIdleWhenEveryOpenPartitionWasSilentForTheTimeoutOrItHasNone() {
        var tracker = WatermarkTracker(outOfOrderness: 0, idleTimeout: 5_000)
        #expect(tracker.isIdle(now: 0), "no partition assigned (more subtasks than partitions)")
        tracker.addPartition(0, now: 0)
        tracker.addPartition(1, now: 0)
        #expect(!tracker.isIdle(now: 4_999))
        tracker.observe(partition: 1, eventTime: 100, now: 3_000)
        #expect(!tracker.isIdle(now: 6_000), "partition 1 delivered 3 s ago")
        #expect(tracker.isIdle(now: 8_000), "both silent for 5 s or more")
        tracker.finish(partition: 0)
        tracker.finish(partition: 1)
        #expect(!tracker.isIdle(now: 100_000), "a finished source is not idle: its watermark went to the maximum")
        var never = WatermarkTracker(outOfOrderness: 0, idleTimeout: 0)
        never.addPartition(0, now: 0)
        #expect(!never.isIdle(now: .max / 2), "idle-timeout 0 never marks a partition idle")
    }

    @Test func watermarkNeverGoesBack() {
        var tracker = WatermarkTracker(outOfOrderness: 0, idleTimeout: 0)
        tracker.addPartition(0, now: 0)
        tracker.observe(partition: 0, eventTime: 10_000, now: 0)
        #expect(tracker.advance(now: 0) == 9_999)
        tracker.observe(partition: 0, eventTime: 5_000, now: 0)
        #expect(tracker.advance(now: 0) == nil)
    }

    @Test func allPartitionsFinishedReleasesTheFinalWatermark() {
        var tracker = WatermarkTracker(outOfOrderness: 100, idleTimeout: 0)
        tracker.addPartition(0, now: 0)
        tracker.observe(partition: 0, eventTime: 1_000, now: 0)
        _ = tracker.advance(now: 0)
        tracker.finish(partition: 0)
        #expect(tracker.advance(now: 0) == .max)
    }

    @Test func allOpenPartitionsIdleHoldsTheWatermark() {
        var tracker = WatermarkTracker(outOfOrderness: 0, idleTimeout: 1_000)
        tracker.addPartition(0, now: 0)
        tracker.observe(partition: 0, eventTime: 5_000, now: 0)
        #expect(tracker.advance(now: 0) == 4_999)
        #expect(tracker.advance(now: 60_000) == nil, "no data may jump the watermark ahead")
    }
}
