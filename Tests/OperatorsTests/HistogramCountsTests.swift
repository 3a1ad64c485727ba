import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

/// Bucketing the way Prometheus reads it: a value lands in the first bucket whose `le` bound is
/// ≥ it, cumulative counts end with the total, and deltas between copies are what a scrape adds.
@Suite struct HistogramCountsTests {
    private func histogram(_ values: [Double], bounds: [Double] = [1, 5, 10]) -> HistogramCounts {
        var counts = HistogramCounts(upperBounds: bounds)
        for value in values { counts.observe(value) }
        return counts
    }

    @Test func aValueOnABoundCountsInThatBucketAndLargerOnesInInf() {
        let counts = histogram([0.5, 1, 1.5, 10, 11])
        #expect(counts.bucketCounts == [2, 1, 1, 1])
        #expect(counts.cumulativeCounts == [2, 3, 4, 5])
        #expect(counts.count == 5)
        #expect(counts.sum == 24)
    }

    @Test func nanIsIgnored() {
        let counts = histogram([.nan, 2])
        #expect(counts.count == 1)
        #expect(counts.sum == 2)
    }

    @Test func addingBatchesEqualsObservingEveryValue() {
        var total = histogram([0.5, 7])
        total.add(histogram([3, 12]))
        #expect(total == histogram([0.5, 7, 3, 12]))
    }

    @Test func addingAHistogramWithOtherBoundsChangesNothing() {
        var total = histogram([2])
        total.add(histogram([3], bounds: [1, 2]))
        #expect(total == histogram([2]))
    }

    @Test func subtractingAnEarlierCopyLeavesWhatWasObservedSince() {
        let earlier = histogram([0.5, 7])
        var later = earlier
        later.observe(3)
        #expect(later.subtracting(earlier) == histogram([3]))
    }

    @Test func subtractingSomethingThatIsNotAnEarlierCopyCountsEverythingAsNew() {
        let restarted = histogram([3])
        #expect(restarted.subtracting(histogram([0.5, 7, 8])) == restarted)
    }
}
