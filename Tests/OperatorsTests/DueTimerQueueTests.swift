@testable import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
@testable import SluiceConnectors
@testable import SluiceEngine
@testable import SluiceLibrary
import SluiceOperators
import SluiceTestSupport
import Testing

@Suite struct DueTimerQueueTests {
    private func timer(_ timestamp: Int64, _ id: UInt8) -> DueTimer {
        DueTimer(timestamp: timestamp, keyGroup: Int(id), key: CacheKey(bytes: [id]))
    }

    @Test func bucketsComeInTimeOrderAndTimersOfOneTimeInInsertionOrder() {
        var queue = DueTimerQueue()
        for (time, id) in [(30, 1), (10, 2), (30, 3), (20, 4), (10, 5)] as [(Int64, UInt8)] { queue.insert(timer(time, id)) }
        var popped: [[UInt8]] = []
        while let bucket = queue.popBucket(upTo: 30) { popped.append(bucket.map { UInt8($0.keyGroup) }) }
        #expect(popped == [[2, 5], [4], [1, 3]])
        #expect(queue.isEmpty)
    }

    @Test func nothingAfterTheWatermarkIsHandedOut() {
        var queue = DueTimerQueue()
        queue.insert(timer(10, 1))
        queue.insert(timer(11, 2))
        #expect(queue.popBucket(upTo: 9) == nil)
        #expect(queue.popBucket(upTo: 10)?.map(\.timestamp) == [10])
        #expect(queue.popBucket(upTo: 10) == nil)
        #expect(!queue.isEmpty)
    }

    @Test func aTimerInsertedForAPoppedTimeComesInALaterBucket() {
        var queue = DueTimerQueue()
        queue.insert(timer(10, 1))
        let first = queue.popBucket(upTo: 10)
        queue.insert(timer(10, 2))  // as a firing key re-arming at a due time would
        #expect(first?.map(\.keyGroup) == [1])
        #expect(queue.popBucket(upTo: 10)?.map(\.keyGroup) == [2])
    }

    @Test func everyInsertedTimerIsHandedOutOnceInTimeOrder() {
        var random = SplitMix64(seed: 0x71AE5)
        var queue = DueTimerQueue()
        var inserted: [Int64] = []
        for _ in 0..<5_000 {
            let time = Int64.random(in: 0..<300, using: &random)
            inserted.append(time)
            queue.insert(timer(time, 0))
        }
        var popped: [Int64] = []
        var watermark: Int64 = -1
        while !queue.isEmpty {
            watermark += Int64.random(in: 0..<40, using: &random)
            while let bucket = queue.popBucket(upTo: watermark) {
                #expect(bucket.allSatisfy { $0.timestamp <= watermark })
                popped += bucket.map(\.timestamp)
            }
        }
        #expect(popped == inserted.sorted())
    }
}
