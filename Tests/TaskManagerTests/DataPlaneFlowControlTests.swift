import NIOCore
import SluiceTestSupport
import Testing
@testable import SluiceTaskManager

/// Credit-based flow control and teardown: a producer sends only into credit the consumer
/// granted, blocks without it, and is released from that wait with an error when the channel
/// is torn down.
@Suite struct DataPlaneFlowControlTests {
    @Test(arguments: Placement.allCases)
    func producerBlocksOnTheFifthBufferWhenOnlyFourCreditsWereGranted(_ placement: Placement) async throws {
        try await DataPlaneHarness.run { planes in
            let key = channelKey()
            let sink = RecordingSink(returnsCredit: false)
            let input = try await planes.connect(key, placement, sink: sink, initialCredits: 4)
            let output = planes.producer.outputChannel(for: key)
            let producer = ProducerThread.start(sending: (0..<5).map(buffer), through: output)

            try await waitUntil("four buffers arrive while the sender is inside its fifth send") {
                sink.bufferCount == 4 && producer.entered == 5
            }
            #expect(producer.completed == 4)
            #expect(output.availableCredit == 0)

            sink.returnCredit(1, on: input)
            try await waitUntil("the fifth send returns and its buffer arrives") {
                producer.completed == 5 && sink.bufferCount == 5
            }
            // The fifth buffer left only after the test returned credit.
            #expect(sink.buffersArrivedBeforeTestCredit == 4)
            #expect(sink.events == (0..<5).map(buffer))
            input.close()
        }
    }

    @Test(arguments: Placement.allCases)
    func releaseUnblocksASenderWaitingForCredit(_ placement: Placement) async throws {
        try await DataPlaneHarness.run { planes in
            let key = channelKey()
            let sink = RecordingSink(returnsCredit: false)
            _ = try await planes.connect(key, placement, sink: sink, initialCredits: 0)
            let producer = ProducerThread.start(sending: [buffer(0)], through: planes.producer.outputChannel(for: key))
            try await waitUntil("the sender is blocked on credit") { producer.entered == 1 }

            planes.producer.release(jobID: key.jobID, attempt: key.attempt)
            try await waitUntil("the blocked send returns") { producer.finished }
            #expect(producer.error == .cancelled)
            #expect(producer.completed == 0)
            #expect(sink.bufferCount == 0)
            // A released attempt's channel stays closed for a late caller too.
            #expect(throws: DataPlaneError.cancelled) { try planes.producer.outputChannel(for: key).send(.watermark(1)) }
            if placement == .remote {
                // The consumer's TaskManager has not released yet: for it the producer went away.
                try await waitUntil("the remote consumer hears the channel failed") { sink.failures.count == 1 }
            } else {
                #expect(sink.failures.isEmpty)
            }
        }
    }

    @Test func consumerSideReleaseFailsTheRemoteProducersBlockedSendWithClosed() async throws {
        try await DataPlaneHarness.run { planes in
            let key = channelKey()
            let sink = RecordingSink(returnsCredit: false)
            _ = try await planes.connect(key, .remote, sink: sink, initialCredits: 0)
            let producer = ProducerThread.start(sending: [buffer(0)], through: planes.producer.outputChannel(for: key))
            try await waitUntil("the sender is blocked on credit") { producer.entered == 1 }

            planes.consumer.release(jobID: key.jobID, attempt: key.attempt)
            try await waitUntil("the blocked send returns") { producer.finished }
            #expect(producer.error == .closed)
            #expect(sink.failures.isEmpty)
        }
    }

    @Test(arguments: Placement.allCases)
    func closingTheInputFailsTheProducersNextSend(_ placement: Placement) async throws {
        try await DataPlaneHarness.run { planes in
            let key = channelKey()
            let sink = RecordingSink(returnsCredit: false)
            let input = try await planes.connect(key, placement, sink: sink, initialCredits: 0)
            let producer = ProducerThread.start(sending: [.watermark(1), buffer(0)], through: planes.producer.outputChannel(for: key))
            try await waitUntil("the watermark arrives and the sender blocks on credit") {
                sink.events == [.watermark(1)] && producer.entered == 2
            }
            input.close()
            try await waitUntil("the blocked send returns") { producer.finished }
            #expect(producer.error == .closed)
            #expect(sink.failures.isEmpty)
        }
    }

    @Test func bufferLargerThanOneFrameIsRefusedBySend() async throws {
        try await DataPlaneHarness.run { planes in
            let output = planes.producer.outputChannel(for: channelKey())
            let huge = ByteBuffer(repeating: 0, count: 1 << 20)
            #expect(throws: DataPlaneError.bufferTooLarge(bytes: 1 << 20, maximum: (1 << 20) - 5)) {
                try output.send(.buffer(huge, recordCount: 1))
            }
        }
    }
}
