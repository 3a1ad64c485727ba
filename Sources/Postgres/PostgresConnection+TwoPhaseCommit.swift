/// Two-phase commit (`PREPARE TRANSACTION`, `COMMIT PREPARED`, `ROLLBACK PREPARED`) on a
/// connection, for sinks whose writes must become visible only when a checkpoint completes.
///
/// Same thread rules as `PostgresConnection`: the calling thread owns the connection. These
/// statements cannot take parameters (PostgreSQL wants a literal gid), so gids are quoted with
/// `quoteLiteral`.
extension PostgresConnection {
    /// What `COMMIT PREPARED` / `ROLLBACK PREPARED` found.
    public enum PreparedTransactionOutcome: Sendable, Equatable {
        /// This call committed (or rolled back) the transaction.
        case finished
        /// No prepared transaction has that gid (any more): another session finished it, or a
        /// retried call's first attempt did before the connection broke (SQLSTATE 42704).
        case notFound
        /// Another session is finishing it right now (SQLSTATE 55000, "… is busy").
        case busy
    }

    /// Ends the open transaction with `PREPARE TRANSACTION gid`: it leaves the session, keeps its
    /// locks and survives restarts of client and server until committed or rolled back by gid.
    /// Throws if the transaction had failed (PostgreSQL then rolls it back instead).
    public func prepareTransaction(_ gid: String) throws {
        let sql = "PREPARE TRANSACTION \(Self.quoteLiteral(gid))"
        let result = try simpleQuery(sql)
        guard result.commandTag == "PREPARE TRANSACTION" else {
            throw PostgresError.invalidState(message: "the transaction was rolled back instead of prepared (a statement in it failed)",
                                             context: sql)
        }
    }

    /// `COMMIT PREPARED gid`, from any session of the same database and role.
    public func commitPrepared(_ gid: String) throws -> PreparedTransactionOutcome {
        try finishPrepared("COMMIT PREPARED \(Self.quoteLiteral(gid))")
    }

    /// `ROLLBACK PREPARED gid`, from any session of the same database and role.
    public func rollbackPrepared(_ gid: String) throws -> PreparedTransactionOutcome {
        try finishPrepared("ROLLBACK PREPARED \(Self.quoteLiteral(gid))")
    }

    /// The gids of this database's prepared transactions that start with `prefix`, in order of
    /// preparation (`pg_prepared_xacts`).
    public func preparedTransactionIDs(withPrefix prefix: String) throws -> [String] {
        let result = try execute("""
            SELECT gid FROM pg_prepared_xacts
            WHERE database = current_database() AND left(gid, length($1)) = $1 ORDER BY prepared, gid
            """, [prefix])
        return result.rows.compactMap { $0.first ?? nil }
    }

    /// `text` as an SQL string literal, the way `PQescapeLiteral` writes it: quotes doubled, and
    /// with backslashes doubled behind an `E` prefix if there are any, so the literal means the
    /// same whatever `standard_conforming_strings` is set to.
    public static func quoteLiteral(_ text: String) -> String {
        let quoted = "'" + text.replacing("'", with: "''") + "'"
        guard text.contains("\\") else { return quoted }
        return " E" + quoted.replacing("\\", with: "\\\\")
    }

    private func finishPrepared(_ sql: String) throws -> PreparedTransactionOutcome {
        do {
            try simpleQuery(sql)
            return .finished
        } catch let error as PostgresError where error.sqlState == "42704" {
            return .notFound
        } catch let error as PostgresError where error.sqlState == "55000" {
            return .busy
        }
    }
}
