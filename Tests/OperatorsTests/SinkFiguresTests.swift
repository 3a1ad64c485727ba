@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
import Testing

/// End-to-end latency of committed rows: commit wall time − checkout event time, bucketed from
/// 10 ms to an hour; user-cache hit ratio is undefined before the first lookup.
@Suite struct SinkFiguresTests {
    private let committedAt: Int64 = 1_700_000_100_000

    private func latencies(agesMillis: [Int64]) -> HistogramCounts {
        var figures = SinkFigures()
        figures.observeCommitted(eventTimesMillis: agesMillis.map { committedAt - $0 }, committedAtMillis: committedAt)
        return figures.endToEndLatencySeconds
    }

    private func bucket(of seconds: Double) -> Int {
        SinkFigures.latencyBounds.firstIndex { $0 >= seconds } ?? SinkFigures.latencyBounds.count
    }

    @Test func eachRowCountsItsAgeAtCommitInSeconds() {
        let counts = latencies(agesMillis: [8, 17_000, 17_000, 90_000])
        #expect(counts.count == 4)
        let expectedSum: Double = 124.008
        #expect(abs(counts.sum - expectedSum) < 1e-9)
        #expect(counts.bucketCounts[bucket(of: 0.008)] == 1)
        #expect(counts.bucketCounts[bucket(of: 17)] == 2)
        #expect(counts.bucketCounts[bucket(of: 90)] == 1)
    }

    @Test func bucketsReachFromTenMillisecondsToAnHourAndOlderRowsLandInInf() {
        #expect(SinkFigures.latencyBounds.first == 0.01)
        #expect(SinkFigures.latencyBounds.last == 3_600)
        let counts = latencies(agesMillis: [3_600_000, 2 * 86_400_000])
        #expect(counts.bucketCounts[SinkFigures.latencyBounds.count - 1] == 1, "exactly an hour is in the le=3600 bucket")
        #expect(counts.bucketCounts.last == 1, "a replayed two-day-old checkout is above every bound")
    }

    @Test func aCheckoutStampedInTheFutureCountsAsZeroLatency() {
        let counts = latencies(agesMillis: [-5_000])
        #expect(counts.sum == 0)
        #expect(counts.bucketCounts.first == 1)
    }

    @Test func deltasOfSinkFiguresAreWhatWasCommittedSince() {
        var earlier = SinkFigures()
        earlier.batchRows.observe(10)
        var later = earlier
        later.batchRows.observe(20)
        later.commitSeconds.observe(0.002)
        let delta = later.subtracting(earlier)
        #expect(delta.batchRows.count == 1 && delta.batchRows.sum == 20)
        #expect(delta.commitSeconds.count == 1)
        #expect(delta.endToEndLatencySeconds.count == 0)
    }

    @Test func cacheHitRatioIsNaNBeforeTheFirstLookup() {
        #expect(UserEnrichmentOperator.hitRatio(hits: 0, misses: 0).isNaN)
        #expect(UserEnrichmentOperator().cacheHitRatio.isNaN)
    }

    @Test func cacheHitRatioIsHitsOverLookups() {
        #expect(UserEnrichmentOperator.hitRatio(hits: 3, misses: 1) == 0.75)
        #expect(UserEnrichmentOperator.hitRatio(hits: 0, misses: 4) == 0)
    }
}
