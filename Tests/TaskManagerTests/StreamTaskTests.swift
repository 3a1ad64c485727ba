import Foundation
import Logging
import NIOCore
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceProtocol
@testable import SluiceTaskManager
import SluiceTestSupport
import Synchronization
import Testing

/// The mailbox loop of a non-source task, fed through real in-process channels.
@Suite struct StreamTaskTests {
    /// Records what the task's operator saw, in order.
    final class RecordingOperator: StreamOperator, @unchecked Sendable {  // written by the task thread, read after it ended
        enum Seen: Equatable { case record(String, input: Int), watermark(Int64), finish }
        var seen: [Seen] = []
        func open(context: OperatorContext) throws {}
        func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
            seen.append(.record(Click(row: record.row).clickID.description, input: input))
        }
        func processWatermark(_ watermark: Int64, output: any RecordOutput) throws { seen.append(.watermark(watermark)) }
        func finish(output: any RecordOutput) throws { seen.append(.finish) }
        func close() {}
    }

    /// Also records the checkpoints it snapshots, in the same sequence as the records.
    final class CheckpointedRecordingOperator: StreamOperator, CheckpointedOperator, @unchecked Sendable {  // as above
        let recording = RecordingOperator()
        var seen: [RecordingOperator.Seen] { recording.seen }
        var snapshots: [(checkpoint: UInt64, after: Int)] = []
        func open(context: OperatorContext) throws {}
        func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
            try recording.processRecord(record, input: input, output: output)
        }
        func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {
            try recording.processWatermark(watermark, output: output)
        }
        func finish(output: any RecordOutput) throws { try recording.finish(output: output) }
        func close() {}
        func snapshotState(checkpointID: UInt64) throws -> [UInt8]? {
            snapshots.append((checkpointID, recording.seen.count))
            return [UInt8(checkpointID)]
        }
    }

    /// A task of attempt 1 running `op` with two inputs fed by in-process channels; returns the
    /// producers' ends (input 0, input 1).
    private func makeTwoInputTask(on plane: DataPlane, operator op: any StreamOperator) async throws
        -> (StreamTask, OperatorChain, [OutputChannel]) {
        var deploy = _ProtoDeployTask()
        deploy.task.jobID = "job"
        deploy.task.attempt = 1
        deploy.task.vertexID = "attribution"
        deploy.parallelism = 1
        deploy.maxParallelism = 128
        var spec = _ProtoOperatorSpec()
        spec.inputSchemas = [Self.clickSchema, Self.clickSchema]
        deploy.chain = [spec]
        let descriptor = try TaskDescriptor(deploy, eventTime: JobSpec.EventTime())
        let chain = OperatorChain(source: nil, operators: [op], writer: RecordWriter(edges: [], subtask: 0, maxParallelism: 128))
        let task = StreamTask(descriptor: descriptor, chain: chain, logger: Logger(label: "test.task"))
        var producers: [OutputChannel] = []
        for input in 0..<2 {
            let key = ChannelKey(jobID: "job", attempt: 1, producerVertex: "source-\(input)", producerSubtask: 0,
                                 consumerVertex: "attribution", consumerSubtask: 0)
            let channel = try await plane.connectInput(key: key, index: input, producer: nil, sink: task.mailbox,
                                                       initialCredits: 4, timeout: .seconds(5))
            task.addInput(channel, logicalInput: input)
            producers.append(plane.outputChannel(for: key))
        }
        return (task, chain, producers)
    }

    /// How a task started by `start` ended; nil while it runs.
    final class TaskRun: Sendable {
        let outcome = Mutex<StreamTask.Outcome?>(nil)
        var ended: StreamTask.Outcome? { outcome.withLock { $0 } }
    }

    /// Runs `task` on its own thread, as the TaskExecutor does.
    private func start(_ task: StreamTask) -> TaskRun {
        let run = TaskRun()
        Thread { run.outcome.withLock { $0 = task.run(onRunning: {}) } }.start()
        return run
    }

    /// The click rows' schema as the JobManager deploys it.
    private static var clickSchema: _ProtoRowSchema {
        var proto = _ProtoRowSchema()
        proto.name = AttributionSchemas.click.name
        proto.eventTime = AttributionSchemas.click.eventTime ?? ""
        proto.columns = AttributionSchemas.click.columns.map { column in
            var wire = _ProtoColumnSchema()
            wire.name = column.name
            wire.type = column.type.description
            wire.nullable = column.nullable
            return wire
        }
        return proto
    }

    private func buffer(_ ids: [String]) -> ChannelEvent {
        var writer = BinaryWriter()
        let rows = AttributionInputRows()
        for id in ids { RecordCodec.encode(rows.row(Click(clickID: EventID(id), userID: 1, productID: "p", eventTime: 0)), into: &writer) }
        return .buffer(ByteBuffer(bytes: writer.bytes), recordCount: ids.count)
    }

    @Test func malformedDeploymentsAreRefusedNotTrapped() {
        var deploy = _ProtoDeployTask()
        deploy.task.jobID = "job"
        deploy.task.vertexID = "v"
        deploy.chain = [_ProtoOperatorSpec()]
        #expect(throws: DeploymentError.self) { _ = try TaskDescriptor(deploy, eventTime: JobSpec.EventTime()) }  // parallelism 0
        deploy.parallelism = 2
        deploy.maxParallelism = 128
        deploy.task.subtaskIndex = 2
        #expect(throws: DeploymentError.self) { _ = try TaskDescriptor(deploy, eventTime: JobSpec.EventTime()) }
        deploy.task.subtaskIndex = 1
        deploy.keyGroups.start = 100
        deploy.keyGroups.end = 200
        #expect(throws: DeploymentError.self) { _ = try TaskDescriptor(deploy, eventTime: JobSpec.EventTime()) }
        deploy.keyGroups.end = 127
        #expect(throws: Never.self) { _ = try TaskDescriptor(deploy, eventTime: JobSpec.EventTime()) }
    }

    @Test func watermarkIsTheMinimumOverOpenInputsAndTheTaskFinishesAfterEveryInputEnded() async throws {
        let plane = try await DataPlaneHarness.makePlane("tm-task")
        let op = RecordingOperator()
        let (task, _, producers) = try await makeTwoInputTask(on: plane, operator: op)
        let run = start(task)

        try producers[0].send(buffer(["a"]))
        try producers[0].send(.watermark(10))
        try producers[1].send(buffer(["b"]))
        try producers[1].send(.watermark(5))
        try producers[1].send(.watermark(20))
        try producers[0].send(.endOfPartition)   // input 0 ends: only input 1 holds the watermark now
        try producers[1].send(.watermark(30))
        try producers[1].send(.endOfPartition)
        try await waitUntil("the task to end") { run.ended != nil }

        guard case .finished? = run.ended else {
            Issue.record("task ended \(String(describing: run.ended))")
            return
        }
        #expect(op.seen == [.record("a", input: 0), .record("b", input: 1), .watermark(5), .watermark(10),
                            .watermark(20), .watermark(30), .watermark(.max), .finish])
        await plane.shutdown()
    }

    /// Watermark status: an idle input is left out of the minimum, so the other input alone moves
    /// the watermark; when every input is idle the task holds it and announces itself idle
    /// downstream; a record after "active" counts again (and one behind the watermark is late).
    @Test func anIdleInputIsLeftOutOfTheWatermarkAndAllIdleMakesTheTaskIdle() async throws {
        let plane = try await DataPlaneHarness.makePlane("tm-idle")
        let op = RecordingOperator()
        let (task, chain, producers) = try await makeTwoInputTask(on: plane, operator: op)
        let run = start(task)

        try producers[0].send(.watermark(10))
        try producers[1].send(.idle(true))           // input 1 (the clicks, say) is silent
        try producers[0].send(.watermark(20))        // input 0 alone moves the watermark
        try producers[0].send(.idle(true))           // now both: hold, and tell downstream
        try await waitUntil("the task to go idle") { op.seen.count == 2 && chain.writer.isIdle }
        try producers[1].send(.idle(false))
        try producers[1].send(.watermark(15))        // behind the current watermark: no step back
        try producers[1].send(.watermark(40))        // input 1 alone is active now
        try producers[0].send(.idle(false))
        try producers[0].send(.watermark(50))        // both active: the minimum again
        try producers[0].send(.endOfPartition)
        try producers[1].send(.endOfPartition)
        try await waitUntil("the task to end") { run.ended != nil }

        #expect(op.seen == [.watermark(10), .watermark(20), .watermark(40), .watermark(.max), .finish])
        #expect(!chain.writer.isIdle, "active again once an input was")
        await plane.shutdown()
    }

    /// Aligned barriers: after barrier n arrived on one input, that input's later records wait
    /// until n arrived on every input; the snapshot sees exactly the records before the barriers.
    @Test func barriersAlignAcrossInputsAndTheSnapshotSeesExactlyTheRecordsBeforeThem() async throws {
        let plane = try await DataPlaneHarness.makePlane("tm-align")
        let op = CheckpointedRecordingOperator()
        let (task, chain, producers) = try await makeTwoInputTask(on: plane, operator: op)
        let sent = Mutex<[_ProtoEnvelope]>([])
        task.checkpointer = TaskCheckpointer(task: task.descriptor.protoID, operators: [("attribution", op)], keyed: nil, chain: chain,
                                             send: { envelope in sent.withLock { $0.append(envelope) } },
                                             logger: Logger(label: "test.checkpointer"))
        let run = start(task)

        try producers[0].send(buffer(["a"]))
        try producers[0].send(.barrier(checkpointID: 1))
        try producers[0].send(buffer(["c"]))          // after barrier 1 on input 0: must wait for the snapshot
        try producers[1].send(buffer(["b"]))
        try producers[1].send(.barrier(checkpointID: 1))
        try producers[1].send(buffer(["d"]))
        try producers[0].send(.endOfPartition)
        try producers[1].send(.endOfPartition)
        try await waitUntil("the task to end") { run.ended != nil }
        try await waitUntil("the acknowledgement") { !sent.withLock { $0 }.isEmpty }

        #expect(op.seen == [.record("a", input: 0), .record("b", input: 1), .record("c", input: 0), .record("d", input: 1),
                            .watermark(.max), .finish])
        #expect(op.snapshots.map(\.checkpoint) == [1])
        #expect(op.snapshots.first?.after == 2, "the snapshot of checkpoint 1 saw a and b, nothing after the barriers")
        guard case .acknowledgeCheckpoint(let ack)? = sent.withLock({ $0 }).first?.body else {
            Issue.record("expected an acknowledgement, got \(sent.withLock { $0 })")
            return
        }
        #expect(ack.checkpointID == 1)
        #expect(ack.state.map(\.operatorID) == ["attribution"])
        #expect(ack.state.first?.inlineData == Data([1]))
        await plane.shutdown()
    }
}
