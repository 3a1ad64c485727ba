import SluiceProtocol
import Testing
@testable import SluiceTaskManager

/// Reports must survive the end of a JobManager session: the next session delivers them.
@Suite struct TaskReportQueueTests {
    private func report(_ checkpoint: UInt64) -> _ProtoEnvelope {
        var ack = _ProtoAcknowledgeCheckpoint()
        ack.checkpointID = checkpoint
        return .with(.acknowledgeCheckpoint(ack))
    }

    private func checkpoint(of envelope: _ProtoEnvelope?) -> UInt64? {
        guard case .acknowledgeCheckpoint(let ack)? = envelope?.body else { return nil }
        return ack.checkpointID
    }

    @Test func aCancelledConsumerLeavesTheQueueUsableAndLaterMessagesReachTheNextOne() async {
        let queue = TaskReportQueue()
        let first = Task { await queue.next() }
        first.cancel()
        #expect(await first.value == nil, "a cancelled session's consumer ends without taking a message")
        queue.send(report(1))
        queue.send(report(2))
        let second = Task { await queue.next() }
        #expect(checkpoint(of: await second.value) == 1)
        #expect(checkpoint(of: await queue.next()) == 2)
    }

    @Test func aWaitingConsumerGetsTheNextMessage() async {
        let queue = TaskReportQueue()
        let waiting = Task { await queue.next() }
        queue.send(report(7))
        #expect(checkpoint(of: await waiting.value) == 7)
    }

    @Test func beyondCapacityTheOldestMessagesGo() async {
        let queue = TaskReportQueue(capacity: 2)
        for id in 1...3 { queue.send(report(UInt64(id))) }
        #expect(checkpoint(of: await queue.next()) == 2)
        #expect(checkpoint(of: await queue.next()) == 3)
    }
}
