import Foundation
import Logging
import SluicePostgres
import SluiceConnectorKinds
import SluiceEngine

/// Writes rows into a PostgreSQL table, batched, one row per key (a later row replaces it),
/// exactly once or at least once (`delivery`, see `SinkDelivery`).
///
/// Rows of any schema, upserted on the `key` columns (`RowSinkEncoder`: new rows as a binary
/// COPY where the table's types allow, else statements), checked against the table's catalog
/// when the sink opens (`PostgresTableCheck`).
///
/// Runs on the task thread. Owns the pending batch and a `SinkWriter` that owns the
/// connections: `TwoPhaseCommitSink` (exactly-once, the default when the job checkpoints: rows
/// become visible when their checkpoint completes) or `AutocommitSinkWriter` (at-least-once:
/// visible at once, replays are idempotent). Flushes when a batch is full, when
/// `flush-interval-ms` passed (checked on ticks and watermarks), at each barrier (so the
/// checkpoint covers every row before it) and at the end of input.
public final class PostgresSinkOperator: StreamOperator, CheckpointedOperator, CountingOperator {
    private var writer: (any SinkWriter<RowRecord>)?
    private var operatorID = ""
    private var table = ""
    private var batchSize = 500
    private var flushInterval: TimeInterval = 0.2
    private var pendingRows: [RowRecord] = []
    /// Keeps one row per key in a batch, so `rowsWritten` counts the rows that reach the table.
    private var latest: LatestRowPerKey?
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

    public func count(of event: String) -> Int? {
        event == "rows_written" ? rowsWritten : nil
    }

    public func open(context: OperatorContext) throws {
        operatorID = context.operatorID
        guard let url = try context.value(PostgresSinkKind.postgres) ?? context.environment.postgresURL else {
            throw OperatorError.configuration(context.operatorID, "no PostgreSQL URL: set params.postgres or postgres.url(-file) in the TaskManager config")
        }
        batchSize = try context.integer(PostgresSinkKind.batchSize)
        flushInterval = Double(try context.integer(PostgresSinkKind.flushIntervalMs)) / 1000
        maxRowsPerSecond = try context.integer(PostgresSinkKind.maxRowsPerSecond)
        let requested = try context.value(PostgresSinkKind.delivery)
        let delivery = try SinkDelivery.resolve(requested, checkpointing: context.checkpointing, operatorID: context.operatorID)
        if delivery == .atLeastOnce && requested == nil {
            context.logger.info("the job takes no checkpoints: sink delivers at-least-once (idempotent upserts, visible at once)")
        }
        guard let schema = context.inputSchemas.first else {
            throw OperatorError.configuration(operatorID, "needs the schema of its input rows (the JobManager sends it)")
        }
        writer = try openRows(url: url, schema: schema, delivery: delivery, context: context)
    }

    private func openRows(url: String, schema: Schema, delivery: SinkDelivery, context: OperatorContext) throws -> any SinkWriter<RowRecord> {
        guard let table = try context.value(PostgresSinkKind.table) else {
            throw OperatorError.configuration(operatorID, "set params.table: the table the rows go into")
        }
        self.table = table
        let key = ColumnNames.parse(try context.value(PostgresSinkKind.key))
        let renames: [String: String]
        var encoder: RowSinkEncoder
        do {
            renames = try PostgresSinkKind.renames(try context.value(PostgresSinkKind.columns), of: schema)
        } catch {
            throw OperatorError.configuration(operatorID, "\(error)")
        }
        let check = try PostgresConnection.connect(url: url, logger: context.logger)
        let tableTypes: [String: String]
        do {
            tableTypes = try PostgresTableCheck(table: table, schema: schema, key: key, renames: renames).run(on: check)
            encoder = try RowSinkEncoder(table: table, layout: RowLayout(schema), key: key, columns: renames, tableTypes: tableTypes)
        } catch let error as SinkTableError {
            throw OperatorError.configuration(operatorID, error.description)
        } catch {
            throw OperatorError.configuration(operatorID, "\(error)")
        }
        latest = LatestRowPerKey(key: try RowKeyColumns(key, in: RowLayout(schema)))
        if encoder.copy == nil {
            context.logger.info("new rows go as INSERT statements: some column's table type does not read its binary form (COPY)",
                                metadata: ["table": "\(table)"])
        }
        switch delivery {
        case .exactlyOnce: return try TwoPhaseCommitSink(url: url, encoder: encoder, context: context, metrics: metrics)
        case .atLeastOnce: return try AutocommitSinkWriter(url: url, table: table, encoder: encoder, metrics: metrics, logger: context.logger)
        }
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        pendingRows.append(record)
        if pendingRows.count >= batchSize { try flush() }
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
        if !pendingRows.isEmpty && Date().timeIntervalSince(lastFlush) >= flushInterval { try flush() }
    }

    private func flush() throws {
        lastFlush = Date()
        guard let writer, !pendingRows.isEmpty else { return }
        latest?.reduce(&pendingRows)
        limitRate(pendingRows.count)
        try writer.write(pendingRows)
        rowsWritten += pendingRows.count
        pendingRows.removeAll(keepingCapacity: true)
    }

    private func limitRate(_ rows: Int) {
        guard maxRowsPerSecond > 0 else { return }
        let wait = nextWriteAllowed.timeIntervalSinceNow
        if wait > 0 { sleepSeconds(wait) }
        nextWriteAllowed = max(nextWriteAllowed, Date()).addingTimeInterval(Double(rows) / Double(maxRowsPerSecond))
    }
}

extension PostgresSinkOperator: MeasuredOperator {
    public var histogramReader: (@Sendable () -> [HistogramReading])? {
        let metrics = metrics
        return { metrics.snapshot().readings }
    }
}
