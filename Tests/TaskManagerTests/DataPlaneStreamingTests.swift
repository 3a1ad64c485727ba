import NIOCore
import SluiceTestSupport
import Testing
@testable import SluiceTaskManager

/// Channels carry every event, in order, with END_OF_PARTITION last — over loopback TCP between
/// two data planes and in-process alike — and the producer and consumer may meet in either order.
@Suite struct DataPlaneStreamingTests {
    @Test(arguments: Placement.allCases)
    func twentyThousandBuffersArriveInOrderWithEndOfPartitionLast(_ placement: Placement) async throws {
        try await DataPlaneHarness.run { planes in
            let key = channelKey()
            let sink = RecordingSink(returnsCredit: true)
            let input = try await planes.connect(key, placement, sink: sink, initialCredits: 8)
            let sent = stream(buffers: 20_000, watermarkEvery: 1_000)
            let producer = ProducerThread.start(sending: sent, through: planes.producer.outputChannel(for: key))

            try await waitUntil("END_OF_PARTITION reaches the consumer", timeout: .seconds(120)) { sink.hasEnded }
            let received = sink.events
            #expect(received.count == sent.count)
            #expect(firstDifference(received, sent) == nil)
            try await waitUntil("the producer thread finishes") { producer.finished }
            #expect(producer.error == nil)
            #expect(sink.failures.isEmpty)
            input.close()
        }
    }

    @Test(arguments: Placement.allCases)
    func consumerMayAttachBeforeTheProducerAsksForItsChannel(_ placement: Placement) async throws {
        try await DataPlaneHarness.run { planes in
            let key = channelKey()
            let sink = RecordingSink(returnsCredit: true)
            let input = try await planes.connect(key, placement, sink: sink, initialCredits: 2)
            let sent = stream(buffers: 10, watermarkEvery: 3)
            _ = ProducerThread.start(sending: sent, through: planes.producer.outputChannel(for: key))

            try await waitUntil("END_OF_PARTITION reaches the consumer") { sink.hasEnded }
            #expect(sink.events == sent)
            input.close()
        }
    }

    @Test(arguments: Placement.allCases)
    func producerMaySendBeforeTheConsumerAttaches(_ placement: Placement) async throws {
        try await DataPlaneHarness.run { planes in
            let key = channelKey()
            let sent: [ChannelEvent] = [.watermark(5), buffer(0), .barrier(checkpointID: 1), .endOfPartition]
            let producer = ProducerThread.start(sending: sent, through: planes.producer.outputChannel(for: key))
            // The watermark is queued at once; the buffer waits for a consumer to grant credit.
            try await waitUntil("the producer is blocked on its buffer") { producer.entered == 2 && producer.completed == 1 }

            let sink = RecordingSink(returnsCredit: true)
            let input = try await planes.connect(key, placement, sink: sink, initialCredits: 1)
            try await waitUntil("END_OF_PARTITION reaches the consumer") { sink.hasEnded }
            #expect(sink.events == sent)
            try await waitUntil("the producer thread finishes") { producer.finished }
            #expect(producer.error == nil)
            input.close()
        }
    }

    @Test(arguments: Placement.allCases)
    func aSecondConsumerOfTheSameChannelIsRefused(_ second: Placement) async throws {
        try await DataPlaneHarness.run { planes in
            let key = channelKey()
            let first = second == .remote ? Placement.inProcess : .remote
            let attached = try await planes.connect(key, first, sink: RecordingSink(returnsCredit: true), initialCredits: 1)
            await #expect {
                _ = try await planes.connect(key, second, sink: RecordingSink(returnsCredit: true), initialCredits: 1)
            } throws: { error in
                if case DataPlaneError.refused = error { return true }
                return false
            }
            attached.close()
        }
    }
}
