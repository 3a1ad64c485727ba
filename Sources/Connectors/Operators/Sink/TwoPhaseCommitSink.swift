import Logging
import SluicePostgres
import SluiceConnectorKinds
import SluiceEngine

/// Exactly-once delivery (DESIGN.md §6): the rows between barrier n−1 and barrier n ("epoch n")
/// go into one transaction, prepared at barrier n (`PREPARE TRANSACTION`) and committed by the
/// `SinkCommitter` when checkpoint n completes, so they become visible exactly then.
///
/// Owns the task's connection (used on the task thread only) and the committer (its own
/// connection and queue). Invariants:
/// - at most one epoch transaction is open, begun lazily by the epoch's first write (an epoch
///   without rows prepares nothing and adds nothing to the state);
/// - an epoch transaction checks the fence when it begins (a zombie fails fast) and takes it
///   `FOR SHARE` right before it is prepared or committed (the guarantee: a newer attempt's
///   fence either waits for it or it sees the newer attempt). Only then is the fence row held,
///   so a zombie's open transaction never blocks the newer attempt's fence;
/// - a broken connection in an open epoch fails the task (`transactionLost`): its rows left
///   with the transaction and only a replay from the last checkpoint brings them back;
/// - an upsert waits at most `lock-timeout-ms` for a row lock (`rowLockTimeout`): in eager
///   mode a correction waits for the prepared transaction of the previous epoch, which only a
///   completion notice commits; if that checkpoint was aborted, the task could not reach the
///   next barrier and would wait forever, so it fails instead and recovery sorts it out;
/// - at most one batch is in flight (sent, result not read); every other statement on the
///   connection reads its result first, so PREPARE never covers a batch that failed;
/// - the checkpointed state lists every prepared transaction not yet known committed;
/// - the open epoch's event times are kept (one array per epoch, handed to the committer at
///   PREPARE) so each row's end-to-end latency is measured when it becomes visible;
/// - an epoch writes plain inserts (a binary COPY, cheaper for the server: `RowSinkEncoder`) behind a
///   savepoint, keeping the rows it sent since that savepoint (at most `insert-redo-rows`):
///   when one meets a checkout already in the table (SQLSTATE 23505 aborts the subtransaction),
///   the epoch rolls back to the savepoint, writes those rows again as upserts, and the sink
///   upserts from then on (replays and corrections come in runs). Before the kept rows outgrow
///   the limit, the inserts in flight are settled and a fresh savepoint replaces the old one,
///   so memory stays bounded; after `maxSavepoints` of them the rest of the epoch upserts, so
///   an epoch never holds more subtransactions than PostgreSQL caches per backend (64).
final class TwoPhaseCommitSink<Encoding: SinkEncoding>: SinkWriter where Encoding.Record == RowRecord {
    private let connection: PostgresConnection
    private let fence: SinkFence
    private let subtask: Int
    private let pending = PendingTransactions()
    private let committer: SinkCommitter
    private let retry: PostgresRetry
    private let logger: Logger
    private let lockTimeoutMillis: Int
    private let metrics: SinkMetrics
    private var encoder: Encoding
    /// The most rows kept to redo inserts as upserts; 0: always upsert.
    private let redoLimit: Int
    private var inTransaction = false
    /// A plain insert met a row already in the table: every later batch upserts.
    private var upsertOnly = false
    /// The open epoch still writes plain inserts; `redoRows` holds every row it sent since
    /// its latest savepoint, of which it has taken `savepoints`.
    private var epochInserts = false
    private var redoRows = RowRecordBuffer()
    private var savepoints = 0
    /// Event times of the open epoch's rows.
    private var epochEventTimes: [Int64] = []

    /// Checks the server, recovers what earlier attempts left (`SinkRecovery`), raises the
    /// fence and registers for completion notices.
    init(url: String, encoder: Encoding, context: OperatorContext, metrics: SinkMetrics) throws {
        logger = context.logger
        self.encoder = encoder
        // ~0.4 KB per kept row: the default bounds the redo buffer near 4 MB per subtask.
        redoLimit = try context.integer(PostgresSinkKind.insertRedoRows)
        self.metrics = metrics
        subtask = context.subtask
        lockTimeoutMillis = try context.integer(PostgresSinkKind.lockTimeoutMs)
        fence = SinkFence(lineage: context.lineage, operatorID: context.operatorID, attempt: context.attempt)
        let longest = SinkTransactionID.longestGIDBytes(lineage: context.lineage, operatorID: context.operatorID, subtask: subtask)
        guard longest <= SinkTransactionID.maxBytes else {
            throw ExactlyOnceSinkError.transactionIDTooLong(operatorID: context.operatorID, bytes: longest)
        }
        let restored = try context.restored.states.flatMap { try SinkStateCodec.decode($0) }
        connection = try PostgresConnection.connect(url: url, logger: logger)
        retry = PostgresRetry(logger: logger)
        let setting = try connection.execute("SHOW max_prepared_transactions").value(row: 0, column: 0) ?? "unknown"
        guard let slots = Int(setting), slots > 0 else { throw ExactlyOnceSinkError.preparedTransactionsDisabled(setting: setting) }
        try SinkFence.ensureTable(on: connection)
        try SinkRecovery(connection: connection, fence: fence, logger: logger).run(restored: restored)
        committer = SinkCommitter(connection: try PostgresConnection.connect(url: url, logger: logger), pending: pending, metrics: metrics,
                                  label: "\(context.operatorID).\(subtask)", logger: logger)
        context.checkpointListeners.onComplete { [weak committer] checkpointID in committer?.checkpointCompleted(checkpointID) }
        logger.info("exactly-once sink ready: rows become visible when their checkpoint completes", metadata: [
            "lineage": "\(context.lineage)", "fenceAttempt": "\(context.attempt)"])
    }

    func write(_ rows: [Encoding.Record]) throws {
        try committer.throwIfFailed()
        if !inTransaction { try begin() }
        // Encoded while PostgreSQL still runs the previous batch, whose result is read next;
        // this one is sent, not awaited. Its result is read by the next statement (the next
        // batch, or the fence check before PREPARE), inside the epoch, so a failed batch still
        // fails (or, a conflicting insert, redoes) the epoch before it is prepared.
        let encodedAsInserts = epochInserts
        var batch = try encoder.encode(rows, upsert: !encodedAsInserts)
        try inEpoch { connection in
            try settleInFlight()
            if epochInserts && redoRows.count + rows.count > redoLimit {
                // Everything sent is settled: the kept rows can go behind a fresh savepoint.
                if savepoints < Self.maxSavepoints {
                    try connection.simpleQuery("RELEASE SAVEPOINT \(Self.savepoint); SAVEPOINT \(Self.savepoint)")
                    savepoints += 1
                } else {
                    epochInserts = false
                }
                redoRows.removeAll(keepingCapacity: true)
            }
            // Settling (a conflict) or the savepoint cap switched the epoch to upserts.
            if epochInserts != encodedAsInserts { batch = try encoder.encode(rows, upsert: !epochInserts) }
            try batch.send(on: connection)
        }
        if epochInserts { redoRows.append(contentsOf: rows) }
        epochEventTimes.append(contentsOf: rows.lazy.map { [encoder] in encoder.eventTime($0) })
    }

    func snapshot(checkpointID: UInt64) throws -> [UInt8]? {
        try committer.throwIfFailed()
        if inTransaction {
            let transaction = SinkTransactionID(lineage: fence.lineage, operatorID: fence.operatorID, attempt: fence.attempt,
                                                subtask: subtask, checkpointID: checkpointID)
            try inEpoch { connection in
                try settleInFlight()
                try fence.check(on: connection, lock: true)
                try connection.prepareTransaction(transaction.gid)
            }
            inTransaction = false
            redoRows.removeAll(keepingCapacity: true)
            committer.prepared(transaction, eventTimes: epochEventTimes)
            // The array went to the committer; the next epoch likely has as many rows.
            let capacity = epochEventTimes.count
            epochEventTimes = []
            epochEventTimes.reserveCapacity(capacity)
            pending.append(transaction)
            logger.debug("prepared sink transaction", metadata: ["gid": "\(transaction.gid)"])
        }
        return SinkStateCodec.encode(pending.all)
    }

    /// Bounded input ended: commits the prepared transactions and the open one now, without
    /// waiting for a last checkpoint. Trade-off: a bounded job ends when its input does, not
    /// one checkpoint later (which may never be triggered), and its table is complete when it
    /// reports finished. The price is that rows of uncompleted checkpoints become visible before
    /// the job's final state is durable: if the job failed after this point, it would replay
    /// from its last completed checkpoint and upsert the same `checkout_id`s again — still one
    /// row per checkout, but rows visible a moment earlier than their checkpoint.
    ///
    /// The fence, read `FOR SHARE` in the final transaction before anything commits, covers the
    /// prepared transactions too: a zombie whose job runs on elsewhere (a newer attempt raised
    /// the fence) commits none of them, not even those of checkpoints that never completed, and
    /// a newer attempt's raise waits until these commits are done.
    func finish() throws {
        if !inTransaction { try begin() }
        let started = ContinuousClock.now
        try inEpoch { connection in
            try settleInFlight()
            try fence.check(on: connection, lock: true)
        }
        try committer.commitAll()
        try inEpoch { connection in
            let result = try connection.simpleQuery("COMMIT")
            guard result.commandTag == "COMMIT" else {
                throw PostgresError.invalidState(message: "the final transaction was rolled back (a statement in it failed)", context: "COMMIT")
            }
        }
        inTransaction = false
        redoRows = RowRecordBuffer()
        metrics.committed(eventTimesMillis: epochEventTimes, commitSeconds: (ContinuousClock.now - started) / .seconds(1))
        epochEventTimes = []
        logger.info("sink input ended: committed the last transactions")
    }

    func throwIfFailed() throws {
        try committer.throwIfFailed()
    }

    /// An open epoch transaction ends with the connection (PostgreSQL rolls it back); prepared
    /// ones stay for the committer of the next attempt's recovery.
    func close() {
        committer.close()
    }

    private func begin() throws {
        _ = try retry.run(connection, "BEGIN") { try $0.simpleQuery("BEGIN") }
        inTransaction = true
        epochInserts = !upsertOnly && redoLimit > 0
        savepoints = 0
        try inEpoch { connection in
            try connection.simpleQuery("SET LOCAL lock_timeout = \(lockTimeoutMillis)")
            try fence.check(on: connection, lock: false)
            if epochInserts {
                try connection.simpleQuery("SAVEPOINT \(Self.savepoint)")
                savepoints = 1
            }
        }
    }

    /// Reads the result of the batch in flight. A plain insert that met a checkout already in the
    /// table aborted the subtransaction: the rows since the savepoint go again, as upserts.
    private func settleInFlight() throws {
        do {
            try connection.awaitInFlight()
        } catch let error as PostgresError where error.sqlState == PostgresError.uniqueViolation && epochInserts {
            logger.info("a key is already in the table (a replay, a re-run or a correction): writing the rows since the last savepoint again as upserts, and upserting from now on",
                        metadata: ["rows": "\(redoRows.count)", "error": "\(error)"])
            upsertOnly = true
            epochInserts = false
            let rows = encoder.latestPerKey(redoRows.rows)
            redoRows = RowRecordBuffer()
            try connection.simpleQuery("ROLLBACK TO SAVEPOINT \(Self.savepoint)")
            for start in stride(from: 0, to: rows.count, by: Self.redoBatchRows) {
                try encoder.encode(rows[start..<min(start + Self.redoBatchRows, rows.count)], upsert: true).send(on: connection)
                try connection.awaitInFlight()
            }
        }
    }

    private static var savepoint: String { "sluice_batches" }
    /// Each savepoint with writes is a subtransaction id; PostgreSQL caches 64 per backend and
    /// makes every snapshot slower beyond that, so an epoch stays well under it.
    private static var maxSavepoints: Int { 32 }
    private static var redoBatchRows: Int { 1_000 }

    /// Runs a statement of the open epoch transaction. Any failure ends the epoch: the task
    /// fails, and the transaction is rolled back (it is never prepared after an error).
    private func inEpoch(_ body: (PostgresConnection) throws -> Void) throws {
        do {
            try body(connection)
        } catch {
            inTransaction = false
            epochEventTimes.removeAll()
            redoRows.removeAll()
            _ = try? connection.awaitInFlight()  // the connection must be free to roll back
            if connection.isConnected, connection.transactionStatus != .idle { _ = try? connection.simpleQuery("ROLLBACK") }
            if let error = error as? PostgresError, error.isConnectionError { throw ExactlyOnceSinkError.transactionLost(error) }
            if let error = error as? PostgresError, error.sqlState == "55P03" {
                throw ExactlyOnceSinkError.rowLockTimeout(millis: lockTimeoutMillis)
            }
            throw error
        }
    }
}
