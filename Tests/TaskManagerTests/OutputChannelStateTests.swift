import NIOCore
import Testing
@testable import SluiceTaskManager

@Suite struct OutputChannelStateTests {
    /// Delivers everything the deliverer may take now.
    private func drain(_ state: inout OutputChannelState) -> [ChannelEvent] {
        var delivered: [ChannelEvent] = []
        while let event = state.nextToDeliver() { delivered.append(event) }
        return delivered
    }

    private func isDeliver(_ decision: OutputChannelState.SendDecision) -> Bool {
        if case .deliver = decision { return true }
        return false
    }

    @Test func bufferWaitsForCreditButControlEventsDoNot() {
        var state = OutputChannelState()
        _ = state.attach(initialCredit: 0)
        _ = drain(&state)
        guard case .waitForCredit = state.send(buffer(0)) else { Issue.record("buffer sent without credit"); return }
        #expect(isDeliver(state.send(.watermark(1))))
        #expect(drain(&state) == [.watermark(1)])
        state.grant(1)
        #expect(isDeliver(state.send(buffer(0))))
        #expect(state.credit == 0)
    }

    @Test func eventsSentBeforeTheConsumerAttachesAreDeliveredFirstInOrder() {
        var state = OutputChannelState()
        guard case .queued = state.send(.watermark(1)) else { Issue.record("not queued"); return }
        guard case .queued = state.send(.barrier(checkpointID: 2)) else { Issue.record("not queued"); return }
        guard case .deliver = state.attach(initialCredit: 1) else { Issue.record("attach refused"); return }
        #expect(drain(&state) == [.watermark(1), .barrier(checkpointID: 2)])
        #expect(state.credit == 1)
    }

    @Test func onlyOneThreadDeliversAtATime() {
        var state = OutputChannelState()
        _ = state.attach(initialCredit: 2)
        _ = drain(&state)
        #expect(isDeliver(state.send(buffer(0))))
        // The first sender is still delivering: the second one's event joins its queue.
        guard case .queued = state.send(buffer(1)) else { Issue.record("second deliverer"); return }
        #expect(drain(&state) == [buffer(0), buffer(1)])
    }

    @Test func secondConsumerIsRefused() {
        var state = OutputChannelState()
        _ = state.attach(initialCredit: 1)
        guard case .rejected(.refused) = state.attach(initialCredit: 1) else { Issue.record("second attach accepted"); return }
    }

    @Test func closingDropsQueuedEventsAndRejectsSends() {
        var state = OutputChannelState()
        _ = state.send(.watermark(1))
        let closedNow = state.close(.cancelled)
        let closedAgain = state.close(.closed)
        let next = state.nextToDeliver()
        #expect(closedNow)
        #expect(!closedAgain)
        #expect(next == nil)
        guard case .rejected(.cancelled) = state.send(.watermark(2)) else { Issue.record("send after close"); return }
        guard case .rejected(.cancelled) = state.attach(initialCredit: 1) else { Issue.record("attach after close"); return }
    }

    @Test func nothingIsAcceptedAfterEndOfPartition() {
        var state = OutputChannelState()
        _ = state.attach(initialCredit: 1)
        _ = drain(&state)
        _ = state.send(.endOfPartition)
        _ = drain(&state)
        guard case .rejected(.closed) = state.send(.watermark(1)) else { Issue.record("send after END"); return }
    }
}
