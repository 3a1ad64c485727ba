import SluiceAttribution
import SluiceEngine
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceLibrary
import SluiceOperators
import Testing

/// Kafka consumer lag per partition: records between the next offset to read and the end —
/// the high watermark when unbounded, the end offset when bounded — never negative, and unknown
/// (nil, so no series) until librdkafka has a high watermark for an unbounded partition.
@Suite struct KafkaPartitionLagTests {
    private func lag(next: Int64, low: Int64 = -1, high: Int64 = -1, end: Int64? = nil, finished: Bool = false) -> Int64? {
        KafkaPartitionLag.records(next: next, low: low, high: high, end: end, finished: finished)
    }

    @Test func unboundedLagIsHighWatermarkMinusNextOffset() {
        #expect(lag(next: 120, high: 150) == 30)
        #expect(lag(next: 150, high: 150) == 0)
    }

    @Test func unboundedLagIsUnknownUntilAHighWatermarkWasFetched() {
        #expect(lag(next: 120) == nil)
        #expect(lag(next: -1, low: 40) == nil)
    }

    @Test func beforeTheFirstRecordTheReadPositionIsTheLowWatermarkOrZero() {
        #expect(lag(next: -1, low: 40, high: 100) == 60)
        #expect(lag(next: -1, high: 100) == 100)
        #expect(lag(next: -1, high: 0) == 0, "an empty partition that was fetched from has no lag")
    }

    @Test func aHighWatermarkBehindTheReadPositionIsNoNegativeLag() {
        #expect(lag(next: 200, high: 150) == 0)
    }

    @Test func boundedLagIsEndOffsetMinusNextOffsetWithoutAnyWatermark() {
        #expect(lag(next: 90, end: 100) == 10)
        #expect(lag(next: 90, high: 500, end: 100) == 10, "records past the end offset are not read, so they are no lag")
        #expect(lag(next: -1, end: 100) == 100)
    }

    @Test func aFinishedBoundedPartitionHasNoLag() {
        #expect(lag(next: 90, end: 100, finished: true) == 0)
        #expect(lag(next: -1, finished: true) == 0)
    }
}
