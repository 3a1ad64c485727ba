import Testing
@testable import SluiceTaskManager

/// The alignment rules of aligned checkpoints, without threads or channels.
@Suite struct BarrierAlignerTests {
    @Test func aChannelIsBlockedFromItsBarrierUntilEveryOpenChannelDeliveredIt() {
        var aligner = BarrierAligner(channels: [0, 1, 2])
        #expect(aligner.barrier(1, on: 0) == .wait)
        #expect(aligner.isBlocked(0))
        #expect(!aligner.isBlocked(1))
        #expect(aligner.barrier(1, on: 2) == .wait)
        #expect(aligner.barrier(1, on: 1) == .aligned(1))
        #expect(![0, 1, 2].contains { aligner.isBlocked($0) })
    }

    @Test func anEndedChannelNoLongerTakesPartAndMayCompleteTheAlignment() {
        var aligner = BarrierAligner(channels: [0, 1])
        #expect(aligner.barrier(4, on: 0) == .wait)
        #expect(aligner.channelEnded(1) == .aligned(4))
        #expect(aligner.barrier(5, on: 0) == .aligned(5), "a single open channel aligns at once")
    }

    @Test func staleAndDuplicateBarriersAreIgnored() {
        var aligner = BarrierAligner(channels: [0, 1])
        #expect(aligner.barrier(2, on: 0) == .wait)
        #expect(aligner.barrier(2, on: 0) == .stale, "the same barrier twice on one channel")
        #expect(aligner.barrier(1, on: 1) == .stale, "older than the one aligning")
        #expect(aligner.barrier(2, on: 1) == .aligned(2))
        #expect(aligner.barrier(2, on: 1) == .stale, "already aligned")
    }

    @Test func aNewerBarrierSupersedesThePendingAlignment() {
        var aligner = BarrierAligner(channels: [0, 1])
        #expect(aligner.barrier(3, on: 0) == .wait)
        #expect(aligner.barrier(4, on: 1) == .wait)
        #expect(!aligner.isBlocked(0), "checkpoint 3 can no longer complete: channel 0 is released")
        #expect(aligner.isBlocked(1))
        #expect(aligner.barrier(3, on: 1) == .stale)
        #expect(aligner.barrier(4, on: 0) == .aligned(4))
    }
}
