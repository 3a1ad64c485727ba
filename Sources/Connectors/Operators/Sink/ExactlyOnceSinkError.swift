import SluiceEngine
import SluicePostgres

/// Why the exactly-once PostgreSQL sink cannot go on: each fails the sink's task, and the job's
/// restart then recovers from the last completed checkpoint (whose prepared transactions the
/// new attempt commits). Messages say what happened and how to fix it where a person must act.
public enum ExactlyOnceSinkError: Error, CustomStringConvertible, Sendable {
    /// A newer attempt of the job raised the fence: this task is a zombie and must not write.
    case fenced(lineage: String, operatorID: String, attempt: UInt32, fenceAttempt: Int64)
    /// The fence row vanished (someone deleted it from `sluice.sink_fences`).
    case fenceMissing(lineage: String, operatorID: String)
    /// The fence could not be raised: prepared transactions of an older attempt kept holding it.
    case fenceBlocked(lineage: String, operatorID: String, attempt: UInt32, rounds: Int)
    /// `sluice.sink_fences` could not be created or read.
    case fenceTableUnavailable(PostgresError)
    /// The server does not allow `PREPARE TRANSACTION`.
    case preparedTransactionsDisabled(setting: String)
    /// The gid of this sink's transactions would exceed PostgreSQL's 199 bytes.
    case transactionIDTooLong(operatorID: String, bytes: Int)
    /// The connection broke while an epoch's transaction was open: its rows are gone with it.
    case transactionLost(PostgresError)
    /// An upsert waited longer than `lock-timeout-ms` for a row lock.
    case rowLockTimeout(millis: Int)
    /// `COMMIT PREPARED` of a completed checkpoint's transaction failed after retries.
    case commitFailed(gid: String, reason: String)
    /// Another session kept finishing a restored transaction and never completed it.
    case preparedTransactionStuck(gid: String)
    /// The sink's checkpointed state cannot be read.
    case corruptState(String)

    public var description: String {
        switch self {
        case .fenced(let lineage, let operatorID, let attempt, let fenceAttempt):
            return "sink \(operatorID) of \(lineage) is fenced: attempt \(attempt) is older than attempt \(fenceAttempt), "
                + "which now owns the table; this task is a zombie and its rows are discarded. If no newer attempt runs, "
                + "the job was resumed without continuing its attempt count: resume it under a new lineage."
        case .fenceMissing(let lineage, let operatorID):
            return "the fence row of sink \(operatorID) of \(lineage) is missing from sluice.sink_fences; "
                + "do not delete fence rows of running jobs. Restart the job to recreate it."
        case .fenceBlocked(let lineage, let operatorID, let attempt, let rounds):
            return "sink \(operatorID) of \(lineage) could not raise its fence to attempt \(attempt) in \(rounds) rounds: "
                + "a transaction of an older attempt keeps holding sluice.sink_fences. Find it in pg_stat_activity "
                + "or pg_prepared_xacts (gid sluice:\(lineage):…) and end it."
        case .fenceTableUnavailable(let error):
            return "cannot create or read sluice.sink_fences (\(error)); apply cluster/schema.sql as a role that may "
                + "create schemas, or grant the sink's role CREATE on the database"
        case .preparedTransactionsDisabled(let setting):
            return "exactly-once delivery needs prepared transactions, but the server's max_prepared_transactions is "
                + "\(setting): set it (e.g. 64) in postgresql.conf and restart PostgreSQL, or set delivery: at-least-once"
        case .transactionIDTooLong(let operatorID, let bytes):
            return "sink \(operatorID): its transaction ids would be \(bytes) bytes, PostgreSQL allows 199; use a shorter operator id"
        case .transactionLost(let error):
            return "the sink's open transaction (the rows since the last barrier) was lost with its connection (\(error)); "
                + "the task restarts from the last completed checkpoint and writes them again"
        case .rowLockTimeout(let millis):
            return "an upsert waited \(millis) ms for a row lock, most likely held by the prepared transaction of a checkpoint "
                + "that never completed (an eager correction of its row); the task restarts and recovery commits or rolls it "
                + "back. Raise lock-timeout-ms if checkpoints legitimately take longer."
        case .commitFailed(let gid, let reason):
            return "COMMIT PREPARED '\(gid)' failed: \(reason); the task restarts and commits it on recovery"
        case .preparedTransactionStuck(let gid):
            return "prepared transaction '\(gid)' stayed busy in another session; check pg_stat_activity for a stuck COMMIT PREPARED"
        case .corruptState(let what):
            return "the sink's checkpointed state is corrupt: \(what); restore from an earlier checkpoint"
        }
    }
}
