import SluiceEngine
import Logging
import SluicePostgres

/// What an exactly-once sink does at open before it writes anything: finish what earlier
/// attempts left prepared, then raise the fence so none of them can make rows visible again.
///
/// 1. `COMMIT PREPARED` every restored transaction (those of the checkpoint being restored,
///    from every old subtask) that is still prepared. Sibling subtasks restore the same list
///    and race for them: "does not exist" means a sibling (or the old committer) was first.
/// 2. `ROLLBACK PREPARED` orphans: this sink's transactions of older attempts that the restored
///    checkpoint does not name (their checkpoint never completed).
/// 3. Raise the fence. An orphan prepared by a zombie after step 2 holds the fence row, so the
///    raise gives up after a lock timeout, and steps 2–3 repeat until it goes through.
///
/// Runs once, on the task thread, with the task's connection (no epoch transaction open yet).
struct SinkRecovery {
    let connection: PostgresConnection
    let fence: SinkFence
    let logger: Logger
    var lockTimeoutMillis = 500
    var maxRounds = 120
    /// How long a restored transaction another session is finishing ("busy") may take.
    var busyRetries = 40

    func run(restored: [SinkTransactionID]) throws {
        try commitRestored(restored)
        let keep = Set(restored.map(\.gid))
        try fence.insertIfMissing(on: connection)
        var rounds = 0
        while true {
            rounds += 1
            let orphans = try rollBackOrphans(keeping: keep)
            if try fence.raise(on: connection, lockTimeoutMillis: lockTimeoutMillis) { break }
            logger.info("sink fence is held by a transaction of an older attempt; rolling back orphans again",
                        metadata: ["round": "\(rounds)", "orphansRolledBack": "\(orphans)"])
            guard rounds < maxRounds else {
                throw ExactlyOnceSinkError.fenceBlocked(lineage: fence.lineage, operatorID: fence.operatorID,
                                                        attempt: fence.attempt, rounds: rounds)
            }
        }
        try fence.check(on: connection, lock: false)
        logger.info("sink recovered and fenced older attempts", metadata: [
            "restoredTransactions": "\(restored.count)", "fenceAttempt": "\(fence.attempt)"])
    }

    private func commitRestored(_ restored: [SinkTransactionID]) throws {
        guard !restored.isEmpty else { return }
        var present = Set<String>()
        for prefix in Set(restored.map { SinkTransactionID.prefix(lineage: $0.lineage, operatorID: $0.operatorID) }) {
            present.formUnion(try connection.preparedTransactionIDs(withPrefix: prefix))
        }
        for transaction in restored where present.contains(transaction.gid) {
            try commitWaitingForOthers(transaction.gid)
        }
    }

    /// Rolls back this sink's prepared transactions of older attempts not in `keep`; returns how many.
    private func rollBackOrphans(keeping keep: Set<String>) throws -> Int {
        let prefix = SinkTransactionID.prefix(lineage: fence.lineage, operatorID: fence.operatorID)
        var count = 0
        for gid in try connection.preparedTransactionIDs(withPrefix: prefix) where !keep.contains(gid) {
            guard let transaction = SinkTransactionID(gid: gid), transaction.attempt < fence.attempt else { continue }
            // A sibling may roll the same orphan back concurrently: whoever is second finds nothing.
            if try connection.rollbackPrepared(gid) == .finished {
                count += 1
                logger.info("rolled back an orphaned sink transaction", metadata: ["gid": "\(gid)"])
            }
        }
        return count
    }

    /// Commits `gid`; when another session is finishing it, waits (with back-off) until it is gone.
    private func commitWaitingForOthers(_ gid: String) throws {
        var delay = 0.05
        for _ in 0..<busyRetries {
            switch try connection.commitPrepared(gid) {
            case .finished:
                logger.info("committed a restored sink transaction", metadata: ["gid": "\(gid)"])
                return
            case .notFound:
                return
            case .busy:
                sleepSeconds(delay)
                delay = min(delay * 2, 1)
            }
        }
        throw ExactlyOnceSinkError.preparedTransactionStuck(gid: gid)
    }
}
