import Foundation
import Logging
import SluicePostgres
import SluiceCatalog
import SluiceEngine

/// Writes `AttributedCheckout` rows into a PostgreSQL table, batched, one row per
/// `checkout_id` (a later row replaces it), exactly once or at least once (`delivery`, see
/// `SinkDelivery`; how a batch is written: `SinkStatements`).
///
/// Runs on the task thread. Owns the pending batch and a `SinkWriter` that owns the
/// connections: `TwoPhaseCommitSink` (exactly-once, the default when the job checkpoints: rows
/// become visible when their checkpoint completes) or `AutocommitSinkWriter` (at-least-once:
/// visible at once, replays are idempotent). Flushes when a batch is full, when
/// `flush-interval-ms` passed (checked on ticks and watermarks), at each barrier (so the
/// checkpoint covers every row before it) and at the end of input.
public final class PostgresSinkOperator: StreamOperator, CheckpointedOperator {
    private var writer: (any SinkWriter)?
    private var table = PostgresSinkKind.defaultTable
    private var batchSize = 500
    private var flushInterval: TimeInterval = 0.2
    private var pending: [AttributedCheckout] = []
    private var lastFlush = Date()
    /// Optional write-rate limit (protects a shared database); 0 = none. While the sink waits,
    /// its task consumes nothing, so back-pressure slows the sources instead of filling memory.
    private var maxRowsPerSecond = 0
    private var nextWriteAllowed = Date.distantPast
    public private(set) var rowsWritten = 0
    /// Batch sizes, commit latencies and end-to-end latency of committed rows; read by the
    /// TaskManager's scraper from any thread.
    public let metrics = SinkMetrics()

    public init() {}

    public func open(context: OperatorContext) throws {
        guard let url = try context.value(PostgresSinkKind.postgres) ?? context.environment.postgresURL else {
            throw OperatorError.configuration(context.operatorID, "no PostgreSQL URL: set params.postgres or postgres.url(-file) in the TaskManager config")
        }
        table = try context.string(PostgresSinkKind.table)
        batchSize = try context.integer(PostgresSinkKind.batchSize)
        flushInterval = Double(try context.integer(PostgresSinkKind.flushIntervalMs)) / 1000
        maxRowsPerSecond = try context.integer(PostgresSinkKind.maxRowsPerSecond)
        let requested = try context.value(PostgresSinkKind.delivery)
        let delivery = try SinkDelivery.resolve(requested, checkpointing: context.checkpointing, operatorID: context.operatorID)
        switch delivery {
        case .exactlyOnce:
            writer = try TwoPhaseCommitSink(url: url, table: table, context: context, metrics: metrics)
        case .atLeastOnce:
            if requested == nil {
                context.logger.info("the job takes no checkpoints: sink delivers at-least-once (idempotent upserts, visible at once)",
                                    metadata: ["table": "\(table)"])
            }
            writer = try AutocommitSinkWriter(url: url, table: table, metrics: metrics, logger: context.logger)
        }
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        guard case .attributed(let row) = record else { return }
        pending.append(row)
        if pending.count >= batchSize { try flush() }
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {
        try flushIfDue()
    }

    public func onTick(output: any RecordOutput) throws {
        try writer?.throwIfFailed()
        try flushIfDue()
    }

    public func snapshotState(checkpointID: UInt64) throws -> [UInt8]? {
        try flush()
        return try writer?.snapshot(checkpointID: checkpointID)
    }

    public func finish(output: any RecordOutput) throws {
        try flush()
        try writer?.finish()
    }

    public func close() {
        writer?.close()
        writer = nil
    }

    private func flushIfDue() throws {
        if !pending.isEmpty && Date().timeIntervalSince(lastFlush) >= flushInterval { try flush() }
    }

    private func flush() throws {
        lastFlush = Date()
        guard let writer, !pending.isEmpty else { return }
        let rows = SinkStatements.latestPerCheckout(pending)
        if maxRowsPerSecond > 0 {
            let wait = nextWriteAllowed.timeIntervalSinceNow
            if wait > 0 { sleepSeconds(wait) }
            nextWriteAllowed = max(nextWriteAllowed, Date()).addingTimeInterval(Double(rows.count) / Double(maxRowsPerSecond))
        }
        try writer.write(rows)
        rowsWritten += rows.count
        pending.removeAll(keepingCapacity: true)
    }
}
