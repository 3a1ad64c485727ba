import SluiceEngine
import Dispatch
import Logging
import SluicePostgres
import Synchronization

/// Commits the sink's prepared transactions when their checkpoint completes.
///
/// Owns a connection of its own, used only on its serial queue — never on the task thread:
/// in eager mode the task's next epoch may upsert a row the prepared transaction still locks,
/// and then the task thread waits for that lock until this committer releases it. Completion
/// notices arrive on the TaskManager's network thread; `checkpointCompleted` only enqueues.
///
/// `@unchecked Sendable`: the connection (not thread-safe) is touched only on `queue`; the
/// other state is immutable or behind a mutex. Invariants: transactions are committed oldest
/// first and leave `pending` only once committed (or found gone); a commit that still fails
/// after the retries is kept pending and recorded, and the task fails at its next call
/// (`throwIfFailed`), so recovery commits it from the checkpoint. Each commit of a transaction
/// this attempt prepared is measured once (`SinkMetrics`); transactions recovered from an older
/// attempt have no event times here and are not measured.
final class SinkCommitter: @unchecked Sendable {
    private struct State {
        var closed = false
        var failure: ExactlyOnceSinkError?
        /// Transactions prepared by this attempt and not yet committed: rows' event times and
        /// when the PREPARE finished.
        var prepared: [SinkTransactionID: (eventTimes: [Int64], at: ContinuousClock.Instant)] = [:]
    }

    private let queue: DispatchQueue
    private let connection: PostgresConnection
    private let pending: PendingTransactions
    private let retry: PostgresRetry
    private let logger: Logger
    private let metrics: SinkMetrics
    private let state = Mutex(State())

    init(connection: PostgresConnection, pending: PendingTransactions, metrics: SinkMetrics, label: String, logger: Logger) {
        self.queue = DispatchQueue(label: "sluice.sink-committer.\(label)")
        self.connection = connection
        self.pending = pending
        self.retry = PostgresRetry(logger: logger)
        self.logger = logger
        self.metrics = metrics
    }

    /// The task thread prepared `transaction` with rows of these checkout event times (Unix ms).
    func prepared(_ transaction: SinkTransactionID, eventTimes: [Int64]) {
        let now = ContinuousClock.now
        state.withLock { $0.prepared[transaction] = (eventTimes, now) }
    }

    /// Checkpoint `checkpointID` completed: commit its transaction and older ones. Never blocks.
    func checkpointCompleted(_ checkpointID: UInt64) {
        queue.async { [self] in
            guard !state.withLock({ $0.closed }) else { return }
            do throws(ExactlyOnceSinkError) {
                try commit(pending.through(checkpointID: checkpointID))
            } catch {
                logger.error("committing the sink's prepared transactions failed; the task fails and recovery commits them",
                             metadata: ["checkpoint": "\(checkpointID)", "error": "\(error)"])
                state.withLock { $0.failure = $0.failure ?? error }
            }
        }
    }

    /// Commits everything pending and returns when done (end of a bounded input; task thread).
    func commitAll() throws {
        try queue.sync { try commit(pending.all) }
    }

    /// Rethrows a commit failure of an earlier completion notice (on the task thread).
    func throwIfFailed() throws {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }

    /// Stops committing once the notices already queued are done, and waits for them (the task
    /// ends; task thread). Those commits must still run: after stop-with-checkpoint the final
    /// checkpoint's notice is followed at once by the cancellation, and its rows belong in the
    /// table. Waiting means the task reports its end only once they are committed, so a job that
    /// `sluice stop` reports FINISHED has its final rows visible.
    func close() {
        queue.sync { state.withLock { $0.closed = true } }
    }

    /// On `queue`: `transaction` is committed; counts its rows once.
    private func measure(_ transaction: SinkTransactionID, commitStarted: ContinuousClock.Instant) {
        guard let epoch = state.withLock({ $0.prepared.removeValue(forKey: transaction) }) else { return }
        let now = ContinuousClock.now
        metrics.committed(eventTimesMillis: epoch.eventTimes, commitSeconds: (now - commitStarted) / .seconds(1),
                          preparedToCommitSeconds: (now - epoch.at) / .seconds(1))
    }

    /// On `queue`.
    private func commit(_ transactions: [SinkTransactionID]) throws(ExactlyOnceSinkError) {
        for transaction in transactions {
            let gid = transaction.gid
            let outcome: PostgresConnection.PreparedTransactionOutcome
            let started = ContinuousClock.now
            do {
                outcome = try retry.run(connection, "COMMIT PREPARED '\(gid)'") { try $0.commitPrepared(gid) }
            } catch {
                throw .commitFailed(gid: gid, reason: "\(error)")
            }
            switch outcome {
            case .finished, .notFound:
                // notFound: a retry after a lost connection, or a restoring attempt, committed it first.
                pending.remove(transaction)
                measure(transaction, commitStarted: started)
                logger.debug("committed sink transaction", metadata: ["gid": "\(gid)", "outcome": "\(outcome)"])
            case .busy:
                // Another session is committing it right now (a restoring attempt); it stays pending and
                // the next notice looks again. Later transactions wait, so commits stay in order.
                logger.info("sink transaction is being committed elsewhere", metadata: ["gid": "\(gid)"])
                return
            }
        }
    }
}
