import SluiceEngine
import SluicePostgres

/// The fence of one exactly-once sink (lineage + operator): a row of `sluice.sink_fences`
/// holding the newest attempt allowed to make rows visible.
///
/// A value; its methods run on whichever thread owns the connection passed in (the task thread
/// at open and for epoch transactions). Invariants it relies on: the attempt in the row only
/// grows; every transaction the sink commits or prepares read the row `FOR SHARE` and found no
/// newer attempt, so raising the fence waits for those transactions and every later one sees
/// the new attempt and fails with `ExactlyOnceSinkError.fenced`.
struct SinkFence {
    static let table = "sluice.sink_fences"

    let lineage: String
    let operatorID: String
    let attempt: UInt32

    /// Creates the schema and table if missing. Sibling subtasks (and other jobs) race here:
    /// `IF NOT EXISTS` is not atomic in PostgreSQL, so the loser's duplicate errors are retried.
    static func ensureTable(on connection: PostgresConnection) throws {
        let exists = "SELECT to_regclass($1) IS NOT NULL"
        for round in 1...5 {
            do {
                if try connection.execute(exists, [table]).value(row: 0, column: 0) == "t" { return }
                try connection.simpleQuery("""
                    CREATE SCHEMA IF NOT EXISTS sluice;
                    CREATE TABLE IF NOT EXISTS sluice.sink_fences (
                        lineage TEXT NOT NULL, operator TEXT NOT NULL, attempt BIGINT NOT NULL, PRIMARY KEY (lineage, operator))
                    """)
                return
            } catch let error as PostgresError where ["23505", "42P06", "42P07"].contains(error.sqlState) && round < 5 {
                continue  // a sibling created it at the same moment; the next round sees it
            } catch let error as PostgresError {
                throw ExactlyOnceSinkError.fenceTableUnavailable(error)
            }
        }
    }

    /// Adds the fence row (attempt 0) if the sink never ran before; never locks an existing row.
    func insertIfMissing(on connection: PostgresConnection) throws {
        try connection.execute("""
            INSERT INTO sluice.sink_fences (lineage, operator, attempt) VALUES ($1, $2, 0)
            ON CONFLICT (lineage, operator) DO NOTHING
            """, [lineage, operatorID])
    }

    /// Raises the fence to this attempt. Returns false when a transaction of an older attempt
    /// held the row for `lockTimeoutMillis` (the caller rolls back orphans and tries again).
    /// A row already at this attempt or above does not match, so it is not locked and sibling
    /// subtasks of the same attempt never wait for each other's open transactions.
    func raise(on connection: PostgresConnection, lockTimeoutMillis: Int) throws -> Bool {
        do {
            try connection.transaction { connection in
                try connection.simpleQuery("SET LOCAL lock_timeout = \(lockTimeoutMillis)")
                try connection.execute("UPDATE sluice.sink_fences SET attempt = $3 WHERE lineage = $1 AND operator = $2 AND attempt < $3",
                                       [lineage, operatorID, String(attempt)])
            }
            return true
        } catch let error as PostgresError where error.sqlState == "55P03" {
            return false
        }
    }

    /// Fails with `fenced` if a newer attempt owns the sink. With `lock`, the row stays share-
    /// locked until the current transaction ends, so the fence cannot rise before it commits
    /// or is prepared (and a prepared one is then rolled back as an orphan by the new attempt).
    func check(on connection: PostgresConnection, lock: Bool) throws {
        let sql = "SELECT attempt FROM sluice.sink_fences WHERE lineage = $1 AND operator = $2" + (lock ? " FOR SHARE" : "")
        let result = try connection.execute(sql, [lineage, operatorID])
        guard result.rowCount == 1, let text = result.value(row: 0, column: 0), let fenceAttempt = Int64(text) else {
            throw ExactlyOnceSinkError.fenceMissing(lineage: lineage, operatorID: operatorID)
        }
        if fenceAttempt > Int64(attempt) {
            throw ExactlyOnceSinkError.fenced(lineage: lineage, operatorID: operatorID, attempt: attempt, fenceAttempt: fenceAttempt)
        }
    }
}
