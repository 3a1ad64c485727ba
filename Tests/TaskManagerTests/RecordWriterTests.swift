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
import Testing

/// The record writer routes like the state it feeds: a keyed record must reach the subtask
/// whose key-group range holds the record's key group, or that subtask would not find its state.
@Suite struct RecordWriterTests {
    private func records(in sink: RecordingSink) throws -> [StreamRecord] {
        var records: [StreamRecord] = []
        for case .buffer(let buffer, let count) in sink.events {
            try buffer.withUnsafeReadableBytes { bytes in
                var reader = BinaryReader(bytes)
                for _ in 0..<count { records.append(try RecordCodec.decode(from: &reader, rows: AttributionInputRows.clickLayout)) }
            }
        }
        return records
    }

    /// In-process channels from producer subtask `producer` to `consumers` consumer subtasks.
    private func channels(_ plane: DataPlane, producer: Int, consumers: Int) async throws -> ([OutputChannel], [RecordingSink]) {
        var outputs: [OutputChannel] = []
        var sinks: [RecordingSink] = []
        for consumer in 0..<consumers {
            let key = ChannelKey(jobID: "job", attempt: 1, producerVertex: "source", producerSubtask: producer,
                                 consumerVertex: "attribution", consumerSubtask: consumer)
            let sink = RecordingSink(returnsCredit: true)
            _ = try await plane.connectInput(key: key, index: 0, producer: nil, sink: sink, initialCredits: 4, timeout: .seconds(5))
            outputs.append(plane.outputChannel(for: key))
            sinks.append(sink)
        }
        return (outputs, sinks)
    }

    @Test func hashEdgeSendsEveryKeyToTheSubtaskOwningItsKeyGroup() async throws {
        let plane = try await DataPlaneHarness.makePlane("tm-writer")
        let (outputs, sinks) = try await channels(plane, producer: 0, consumers: 3)
        let keyColumns = try RowKeyColumns(["user_id", "product_id"], in: AttributionInputRows.clickLayout)
        let writer = RecordWriter(edges: [.init(partitioning: .hash, keyBy: ["user_id", "product_id"], channels: outputs)],
                                  rowKeys: [keyColumns], subtask: 0, maxParallelism: 128, bufferSize: 512)
        let rows = AttributionInputRows()
        for index in 0..<3_000 {
            try writer.emit(rows.row(Click(clickID: EventID("c\(index)"), userID: Int64(index % 97), productID: "p\(index % 13)", eventTime: Int64(index))))
        }
        try writer.emitWatermark(5_000)
        try writer.finish()
        let assigner = KeyGroupAssigner(maxParallelism: 128)
        var key: [UInt8] = []
        var total = 0
        for (subtask, sink) in sinks.enumerated() {
            let range = KeyGroupRange.forSubtask(subtask, parallelism: 3, maxParallelism: 128)
            let received = try records(in: sink)
            total += received.count
            for record in received {
                keyColumns.write(record.row, into: &key)
                #expect(range.contains(assigner.keyGroup(forKey: key)), "\(record) reached subtask \(subtask)")
            }
            // Order: every buffer, then the watermark, then the end of the partition.
            #expect(sink.events.suffix(2) == [.watermark(5_000), .endOfPartition])
        }
        #expect(total == 3_000)
        #expect(try sinks.allSatisfy { !(try records(in: $0)).isEmpty }, "97 × 13 keys spread over all three subtasks")
        await plane.shutdown()
    }

    @Test func forwardEdgeKeepsEveryRecordOnItsOneConsumer() async throws {
        let plane = try await DataPlaneHarness.makePlane("tm-forward")
        let (outputs, sinks) = try await channels(plane, producer: 1, consumers: 1)
        let writer = RecordWriter(edges: [.init(partitioning: .forward, keyBy: [], channels: outputs)],
                                  subtask: 1, maxParallelism: 128, bufferSize: 256)
        let rows = AttributionInputRows()
        let sent = (0..<500).map { rows.row(Click(clickID: EventID("c\($0)"), userID: 1, productID: "p", eventTime: Int64($0))) }
        for record in sent { try writer.emit(record) }
        try writer.finish()
        #expect(try records(in: sinks[0]) == sent, "same records, same order")
        #expect(writer.recordsOut == 500)
        await plane.shutdown()
    }
}
