import Logging
import NIOCore
import SluiceTestSupport
@testable import SluiceTaskManager

/// NIOCore has a `ChannelEvent` too; in this test module the name means the data plane's.
typealias ChannelEvent = SluiceTaskManager.ChannelEvent

/// Where the consumer runs relative to its producer.
enum Placement: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Another TaskManager (here: a second `DataPlane` in this process), over loopback TCP.
    case remote
    /// The producer's own TaskManager: an in-process channel.
    case inProcess

    var description: String { rawValue }
}

/// Two TaskManagers' data planes on loopback, sharing a cluster id and secret unless told otherwise.
struct DataPlaneHarness {
    static let clusterID = "test-cluster"
    static let secret = "correct horse battery staple"

    let producer: DataPlane
    let consumer: DataPlane

    static func makePlane(_ id: String, secret: String = secret, handshakeTimeout: Duration = .seconds(5),
                          logger: Logger? = nil) async throws -> DataPlane {
        try await DataPlane(bind: "127.0.0.1", port: 0, advertisedHost: "127.0.0.1", clusterID: clusterID,
                            secret: secret, taskManagerID: id, maxFrameBytes: 1 << 20,
                            handshakeTimeout: handshakeTimeout, logger: logger ?? Logger(label: "test.\(id)"))
    }

    /// Runs `body` with a producer's and a consumer's data plane, and shuts both down after.
    static func run(producerLogger: Logger? = nil, consumerSecret: String = secret,
                    _ body: (DataPlaneHarness) async throws -> Void) async throws {
        let producer = try await makePlane("tm-producer", logger: producerLogger)
        let consumer: DataPlane
        do {
            consumer = try await makePlane("tm-consumer", secret: consumerSecret)
        } catch {
            await producer.shutdown()
            throw error
        }
        let harness = DataPlaneHarness(producer: producer, consumer: consumer)
        do {
            try await body(harness)
        } catch {
            await harness.shutdown()
            throw error
        }
        await harness.shutdown()
    }

    func shutdown() async {
        await consumer.shutdown()
        await producer.shutdown()
    }

    /// Attaches a consumer of `key` to the producer plane, remote or in-process.
    func connect(_ key: ChannelKey, _ placement: Placement, sink: RecordingSink, initialCredits: Int,
                 timeout: Duration = .seconds(10)) async throws -> InputChannel {
        switch placement {
        case .remote:
            try await consumer.connectInput(key: key, index: 0, producer: ("127.0.0.1", producer.port), sink: sink,
                                            initialCredits: initialCredits, timeout: timeout)
        case .inProcess:
            try await producer.connectInput(key: key, index: 0, producer: nil, sink: sink,
                                            initialCredits: initialCredits, timeout: timeout)
        }
    }
}

/// The channel `source[0] -> sink[0]` of `job` at `attempt`.
func channelKey(job: String = "job-1", attempt: UInt32 = 1) -> ChannelKey {
    ChannelKey(jobID: job, attempt: attempt, producerVertex: "source", producerSubtask: 0,
               consumerVertex: "sink", consumerSubtask: 0)
}

/// A one-record buffer holding `sequence` as 8 big-endian bytes.
func buffer(_ sequence: Int) -> ChannelEvent {
    var bytes = ByteBuffer()
    bytes.writeInteger(UInt64(sequence))
    return .buffer(bytes, recordCount: 1)
}

/// `count` numbered buffers with a watermark after every `watermarkEvery`-th, a barrier in the
/// middle, then END_OF_PARTITION.
func stream(buffers count: Int, watermarkEvery: Int) -> [ChannelEvent] {
    var events: [ChannelEvent] = []
    events.reserveCapacity(count + count / watermarkEvery + 2)
    for sequence in 0..<count {
        events.append(buffer(sequence))
        if (sequence + 1) % watermarkEvery == 0 { events.append(.watermark(Int64(sequence))) }
        if sequence == count / 2 { events.append(.barrier(checkpointID: 1)) }
    }
    events.append(.endOfPartition)
    return events
}

/// Index of the first event where `received` differs from `sent`, or nil if they are equal.
func firstDifference(_ received: [ChannelEvent], _ sent: [ChannelEvent]) -> Int? {
    if let index = zip(received, sent).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset { return index }
    return received.count == sent.count ? nil : min(received.count, sent.count)
}
