import Foundation
import NIOCore
import SluiceEngine
import SluiceProtocol

/// Serializes a task's output records into per-channel buffers and hands full buffers to the
/// data plane, routing each record by its edge's partitioning.
///
/// Owned by the task thread. Buffers are sent when they reach `bufferSize` or when the task
/// calls `flushIfDue` after `flushInterval` (DESIGN.md §3: flush on size or a small timeout).
/// Watermarks and end-of-partition first flush, so they never overtake records.
final class RecordWriter: RecordOutput {
    struct Edge {
        var partitioning: _ProtoPartitioning
        var keyBy: [String]
        /// Indexed by consumer subtask.
        var channels: [OutputChannel]
    }

    private struct PendingBuffer {
        var writer = BinaryWriter(capacity: 40 * 1024)
        var records = 0
    }

    private let edges: [Edge]
    /// For rows on hash edge `i`: the key columns in the emitted rows' layout. Apart from
    /// `edges` so the per-record loop over the edges copies no layout (and retains nothing).
    private let rowKeys: [RowKeyColumns?]
    private let subtask: Int
    private let assigner: KeyGroupAssigner
    private let bufferSize: Int
    private let flushInterval: TimeInterval
    private var pending: [[PendingBuffer]]
    private var keyBytes: [UInt8] = []
    private var roundRobin = 0
    private var lastFlush = Date()
    private(set) var recordsOut: UInt64 = 0
    private(set) var bytesOut: UInt64 = 0
    private(set) var lastWatermark: Int64 = .min
    /// The watermark status last sent downstream (every output starts active).
    private(set) var isIdle = false

    /// `rowKeys`: per edge, the key columns of rows on it (empty: no edge carries keyed rows).
    init(edges: [Edge], rowKeys: [RowKeyColumns?] = [], subtask: Int, maxParallelism: Int, bufferSize: Int = 32 * 1024,
         flushInterval: Duration = .milliseconds(10)) {
        precondition(rowKeys.isEmpty || rowKeys.count == edges.count, "one row key (or nil) per edge")
        self.edges = edges
        self.rowKeys = rowKeys.isEmpty ? Array(repeating: nil, count: edges.count) : rowKeys
        self.subtask = subtask
        self.assigner = KeyGroupAssigner(maxParallelism: maxParallelism)
        self.bufferSize = bufferSize
        self.flushInterval = Double(flushInterval.milliseconds) / 1000
        pending = edges.map { Array(repeating: PendingBuffer(), count: $0.channels.count) }
    }

    var hasOutputs: Bool { !edges.isEmpty }

    func emit(_ record: StreamRecord) throws {
        recordsOut += 1
        for (edgeIndex, edge) in edges.enumerated() {
            let target: Int
            switch edge.partitioning {
            case .hash:
                guard let rowKey = rowKeys[edgeIndex] else {
                    throw OperatorError.configuration("record writer", "a row on a keyed edge whose key columns are unknown (no output schema deployed)")
                }
                rowKey.write(record.row, into: &keyBytes)
                let group = assigner.keyGroup(forKey: keyBytes)
                target = assigner.subtask(forKeyGroup: group, parallelism: edge.channels.count)
            case .forward:
                target = min(subtask, edge.channels.count - 1)
            default:
                roundRobin &+= 1
                target = roundRobin % edge.channels.count
            }
            RecordCodec.encode(record, into: &pending[edgeIndex][target].writer)
            pending[edgeIndex][target].records += 1
            if pending[edgeIndex][target].writer.count >= bufferSize {
                try flush(edge: edgeIndex, channel: target)
            }
        }
    }

    func emitWatermark(_ watermark: Int64) throws {
        lastWatermark = watermark
        try broadcast(.watermark(watermark))
    }

    /// Tells every consumer this task's output turned idle or active; repeats are not sent.
    /// Buffered records go first, so the status stays in order with the records around it
    /// (a source announces "active" before its first record after idleness).
    func emitIdle(_ idle: Bool) throws {
        guard idle != isIdle else { return }
        isIdle = idle
        try broadcast(.idle(idle))
    }

    /// Checkpoint barrier `id` after every record emitted so far, on every channel.
    func emitBarrier(_ id: UInt64) throws {
        try broadcast(.barrier(checkpointID: id))
    }

    func finish() throws {
        try broadcast(.endOfPartition)
    }

    /// Whether the flush interval passed since the last flush.
    func isFlushDue(now: Date = Date()) -> Bool {
        now.timeIntervalSince(lastFlush) >= flushInterval
    }

    /// When the next timed flush is due, for the task loop's wait.
    var nextFlush: Date { lastFlush.addingTimeInterval(flushInterval) }

    func flushAll() throws {
        lastFlush = Date()
        for edgeIndex in edges.indices {
            for channel in edges[edgeIndex].channels.indices where pending[edgeIndex][channel].records > 0 {
                try flush(edge: edgeIndex, channel: channel)
            }
        }
    }

    private func broadcast(_ event: ChannelEvent) throws {
        try flushAll()
        for edge in edges {
            for channel in edge.channels { try channel.send(event) }
        }
    }

    private func flush(edge: Int, channel: Int) throws {
        let buffer = pending[edge][channel]
        guard buffer.records > 0 else { return }
        let bytes = ByteBuffer(bytes: buffer.writer.bytes)
        bytesOut += UInt64(bytes.readableBytes)
        pending[edge][channel].writer.reset()
        pending[edge][channel].records = 0
        try edges[edge].channels[channel].send(.buffer(bytes, recordCount: buffer.records))
    }
}
