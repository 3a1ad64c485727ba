import NIOCore
import SluiceProtocol
import SluiceTestSupport
import Testing
@testable import SluiceTaskManager

/// Fencing, authentication and bad input: a stale attempt, a peer with the wrong secret, or
/// garbage on the data port is refused without disturbing the channels that are fine.
@Suite struct DataPlaneSecurityTests {
    @Test(arguments: Placement.allCases)
    func fencedAttemptIsRefusedAndItsChannelNeverAttaches(_ placement: Placement) async throws {
        try await DataPlaneHarness.run { planes in
            let stale = channelKey(attempt: 1)
            planes.producer.fence(jobID: stale.jobID, minimumAttempt: 2)
            let sink = RecordingSink(returnsCredit: true)

            await #expect(throws: DataPlaneError.fenced(jobID: stale.jobID, attempt: 1)) {
                _ = try await planes.connect(stale, placement, sink: sink, initialCredits: 4)
            }
            let staleOutput = planes.producer.outputChannel(for: stale)
            #expect(staleOutput.availableCredit == 0)
            #expect(throws: DataPlaneError.cancelled) { try staleOutput.send(.watermark(1)) }
            #expect(sink.events.isEmpty)

            // The current attempt is unaffected.
            let current = channelKey(attempt: 2)
            let input = try await planes.connect(current, placement, sink: sink, initialCredits: 4)
            try planes.producer.outputChannel(for: current).send(.endOfPartition)
            try await waitUntil("the current attempt's channel works") { sink.hasEnded }
            input.close()
        }
    }

    @Test func fencingTearsDownAnAttachedOlderAttempt() async throws {
        try await DataPlaneHarness.run { planes in
            let stale = channelKey(attempt: 1)
            let sink = RecordingSink(returnsCredit: false)
            _ = try await planes.connect(stale, .remote, sink: sink, initialCredits: 0)
            let producer = ProducerThread.start(sending: [buffer(0)], through: planes.producer.outputChannel(for: stale))
            try await waitUntil("the sender is blocked on credit") { producer.entered == 1 }

            planes.producer.fence(jobID: stale.jobID, minimumAttempt: 2)
            try await waitUntil("the blocked send returns") { producer.finished }
            #expect(producer.error == .cancelled)
            try await waitUntil("the consumer hears it was fenced") { sink.failures.count == 1 }
            #expect(sink.failures == [.fenced(jobID: stale.jobID, attempt: 1)])
        }
    }

    @Test func wrongSecretFailsTheHandshakeAndTheProducerKeepsServing() async throws {
        let logs = LogRecorder()
        try await DataPlaneHarness.run(producerLogger: logs.makeLogger(label: "producer"), consumerSecret: "wrong secret") { planes in
            let key = channelKey()
            await #expect(throws: DataPlaneError.handshake(.badServerProof)) {
                _ = try await planes.connect(key, .remote, sink: RecordingSink(returnsCredit: true), initialCredits: 1)
            }
            try await waitUntil("the producer logs the refused handshake") { logs.contains(.warning, "handshake failed") }

            let honest = try await DataPlaneHarness.makePlane("tm-honest")
            let sink = RecordingSink(returnsCredit: true)
            let input = try await honest.connectInput(key: key, index: 0, producer: ("127.0.0.1", planes.producer.port),
                                                      sink: sink, initialCredits: 1, timeout: .seconds(10))
            try planes.producer.outputChannel(for: key).send(.endOfPartition)
            try await waitUntil("a consumer with the right secret still gets its channel") { sink.hasEnded }
            input.close()
            await honest.shutdown()
        }
    }

    @Test(arguments: [
        ("unknown kind", [0, 0, 0, 1, 99]),
        ("oversized length", [0x7F, 0xFF, 0xFF, 0xFF]),
        ("data before the handshake", [0, 0, 0, 9, 3, 0, 0, 0, 0, 0, 0, 0, 1]),
    ] as [(String, [UInt8])])
    func badBytesCloseOnlyThatConnection(_ what: String, _ bytes: [UInt8]) async throws {
        let logs = LogRecorder()
        try await DataPlaneHarness.run(producerLogger: logs.makeLogger(label: "producer")) { planes in
            let raw = try RawTCPClient(port: planes.producer.port)
            raw.send(bytes)
            #expect(raw.serverClosesConnection(), "\(what) must close the connection")
            try await waitUntil("the producer logs why it closed") { logs.contains(.warning, "closing data connection") }

            let key = channelKey()
            let sink = RecordingSink(returnsCredit: true)
            let input = try await planes.connect(key, .remote, sink: sink, initialCredits: 1)
            try planes.producer.outputChannel(for: key).send(.endOfPartition)
            try await waitUntil("the data port still serves") { sink.hasEnded }
            input.close()
        }
    }

    @Test func silentPeerIsDisconnectedAfterTheHandshakeTimeout() async throws {
        let logs = LogRecorder()
        let producer = try await DataPlaneHarness.makePlane("tm-producer", handshakeTimeout: .milliseconds(200),
                                                            logger: logs.makeLogger(label: "producer"))
        let raw = try RawTCPClient(port: producer.port)
        #expect(raw.serverClosesConnection())
        #expect(logs.contains(.warning, "handshake timeout"))
        await producer.shutdown()
    }

    @Test func unreachableProducerTimesOutAfterRetrying() async throws {
        let consumer = try await DataPlaneHarness.makePlane("tm-lonely")
        let closed = try await DataPlaneHarness.makePlane("tm-gone")
        let port = closed.port
        await closed.shutdown()
        await #expect {
            _ = try await consumer.connectInput(key: channelKey(), index: 0, producer: ("127.0.0.1", port),
                                                sink: RecordingSink(returnsCredit: true), initialCredits: 1,
                                                timeout: .milliseconds(300))
        } throws: { error in
            if case DataPlaneError.timedOut = error { return true }
            return false
        }
        await consumer.shutdown()
    }

    @Test func consumerRetriesUntilTheProducersTaskManagerListens() async throws {
        // Reserve a port, free it, and start the producer there only after the consumer began trying.
        let probe = try await DataPlaneHarness.makePlane("tm-probe")
        let port = probe.port
        await probe.shutdown()
        let consumer = try await DataPlaneHarness.makePlane("tm-early")
        let sink = RecordingSink(returnsCredit: true)
        let key = channelKey()
        async let connected = consumer.connectInput(key: key, index: 0, producer: ("127.0.0.1", port), sink: sink,
                                                    initialCredits: 1, timeout: .seconds(20))
        let producer = try await DataPlane(bind: "127.0.0.1", port: port, advertisedHost: "127.0.0.1",
                                           clusterID: DataPlaneHarness.clusterID, secret: DataPlaneHarness.secret,
                                           taskManagerID: "tm-late", maxFrameBytes: 1 << 20,
                                           handshakeTimeout: .seconds(5), logger: .init(label: "test.tm-late"))
        let input = try await connected
        try producer.outputChannel(for: key).send(.endOfPartition)
        try await waitUntil("the channel works once the producer listens") { sink.hasEnded }
        input.close()
        await consumer.shutdown()
        await producer.shutdown()
    }
}
