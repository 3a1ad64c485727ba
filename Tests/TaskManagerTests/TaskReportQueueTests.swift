import SluiceProtocol
import Testing
@testable import SluiceTaskManager

/// Reports must survive JobManager sessions: a session's drain is cancelled when it ends, and
/// the next session must still receive every report, in order (a regression: the queue was an
/// AsyncStream, which a cancelled consumer finishes for good, so after one JobManager restart
/// no task ever reached RUNNING again).
@Suite struct TaskReportQueueTests {
    @Test func aCancelledDrainLeavesTheQueueOpenForTheNextSession() async {
        let queue = TaskReportQueue()
        let firstSession = Task { await queue.next() }
        firstSession.cancel()
        #expect(await firstSession.value == nil, "a cancelled drain returns nil")
        queue.send(Self.report(subtask: 1))
        #expect(await queue.next().map(Self.subtask) == 1)
    }

    @Test func aWaitingDrainReceivesTheNextReport() async {
        let queue = TaskReportQueue()
        let session = Task { await queue.next() }
        queue.send(Self.report(subtask: 7))
        #expect(await session.value.map(Self.subtask) == 7)
    }

    @Test func reportsArriveInOrderAndAPutBackReportComesFirst() async throws {
        let queue = TaskReportQueue()
        for subtask in 1...3 { queue.send(Self.report(subtask: subtask)) }
        let unsent = try #require(await queue.next())
        #expect(Self.subtask(unsent) == 1)
        queue.putBack(unsent)
        var received: [Int] = []
        for _ in 1...3 { received.append(await queue.next().map(Self.subtask) ?? -1) }
        #expect(received == [1, 2, 3])
    }

    @Test func beyondCapacityTheOldestReportsGo() async {
        let queue = TaskReportQueue(capacity: 2)
        for subtask in 1...3 { queue.send(Self.report(subtask: subtask)) }
        #expect(await queue.next().map(Self.subtask) == 2)
        #expect(await queue.next().map(Self.subtask) == 3)
    }

    static func report(subtask: Int) -> _ProtoEnvelope {
        var message = _ProtoTaskStateChanged()
        message.task.subtaskIndex = UInt32(subtask)
        message.state = .running
        return .with(.taskStateChanged(message))
    }

    static func subtask(_ envelope: _ProtoEnvelope) -> Int {
        guard case .taskStateChanged(let message)? = envelope.body else { return -1 }
        return Int(message.task.subtaskIndex)
    }
}
