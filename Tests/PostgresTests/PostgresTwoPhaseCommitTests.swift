import SluicePostgres
import SluiceTestSupport
import Testing

/// The PostgreSQL features the exactly-once sink relies on: a prepared transaction survives its
/// session, stays invisible until `COMMIT PREPARED`, and can be found and finished from another
/// connection (as a restarted sink does).
@Suite("PostgreSQL two-phase commit", .postgresServer)
struct PostgresTwoPhaseCommitTests {
    private func prepare(_ rows: [String], into table: String, gid: String, on connection: PostgresConnection) throws {
        try connection.transaction { connection in
            for row in rows { try connection.execute("INSERT INTO \(table) (v) VALUES ($1)", [row]) }
            let prepared = try connection.simpleQuery("PREPARE TRANSACTION '\(gid)'")
            #expect(prepared.commandTag == "PREPARE TRANSACTION")
        }
    }

    private func values(in table: String, on connection: PostgresConnection) throws -> [String?] {
        try connection.execute("SELECT v FROM \(table) ORDER BY v").rows.map { $0[0] }
    }

    private func preparedGIDs(like pattern: String, on connection: PostgresConnection) throws -> [String?] {
        try connection.execute("SELECT gid FROM pg_prepared_xacts WHERE gid LIKE $1 ORDER BY gid", [pattern]).rows.map { $0[0] }
    }

    @Test("rows of a prepared transaction are invisible until COMMIT PREPARED from another connection")
    func preparedRowsBecomeVisibleOnCommitPrepared() throws {
        let writer = try PostgresServerTrait.connect()
        let reader = try PostgresServerTrait.connect()
        try writer.simpleQuery("CREATE TABLE twopc_commit (v text)")

        try prepare(["a", "b"], into: "twopc_commit", gid: "commit-epoch-1", on: writer)
        #expect(writer.transactionStatus == .idle, "PREPARE TRANSACTION detaches the transaction from the session")
        #expect(try values(in: "twopc_commit", on: reader).isEmpty)
        #expect(try values(in: "twopc_commit", on: writer).isEmpty)

        try reader.simpleQuery("COMMIT PREPARED 'commit-epoch-1'")
        #expect(try values(in: "twopc_commit", on: reader) == ["a", "b"])
        #expect(try preparedGIDs(like: "commit-%", on: reader).isEmpty)
    }

    @Test("ROLLBACK PREPARED discards the prepared rows")
    func rollbackPreparedDiscardsRows() throws {
        let writer = try PostgresServerTrait.connect()
        let reader = try PostgresServerTrait.connect()
        try writer.simpleQuery("CREATE TABLE twopc_rollback (v text)")

        try prepare(["gone"], into: "twopc_rollback", gid: "rollback-epoch-1", on: writer)
        try reader.simpleQuery("ROLLBACK PREPARED 'rollback-epoch-1'")
        #expect(try values(in: "twopc_rollback", on: reader).isEmpty)
        #expect(try preparedGIDs(like: "rollback-%", on: reader).isEmpty)
        let error = try #require(throws: PostgresError.self) { try reader.simpleQuery("COMMIT PREPARED 'rollback-epoch-1'") }
        #expect(error.sqlState == "42704", "an unknown prepared transaction is an undefined object")
    }

    @Test("pg_prepared_xacts lists every pending prepared transaction, also after its session closed")
    func preparedTransactionsAreListed() throws {
        let admin = try PostgresServerTrait.connect()
        try admin.simpleQuery("CREATE TABLE twopc_list (v text)")
        do {
            let writer = try PostgresServerTrait.connect()
            try prepare(["1"], into: "twopc_list", gid: "list-epoch-1", on: writer)
            try prepare(["2"], into: "twopc_list", gid: "list-epoch-2", on: writer)
        }  // the writer's connection is closed here; its prepared transactions stay

        #expect(try preparedGIDs(like: "list-%", on: admin) == ["list-epoch-1", "list-epoch-2"])
        let owner = try admin.execute("SELECT DISTINCT owner, database FROM pg_prepared_xacts WHERE gid LIKE 'list-%'")
        #expect(owner.rows == [["sluice", "sluice"]])

        try admin.simpleQuery("COMMIT PREPARED 'list-epoch-1'")
        try admin.simpleQuery("ROLLBACK PREPARED 'list-epoch-2'")
        #expect(try preparedGIDs(like: "list-%", on: admin).isEmpty)
        #expect(try values(in: "twopc_list", on: admin) == ["1"])
    }

    @Test("the server allows prepared transactions (max_prepared_transactions is set)")
    func serverAllowsPreparedTransactions() throws {
        let connection = try PostgresServerTrait.connect()
        #expect(try connection.execute("SHOW max_prepared_transactions").value(row: 0, column: 0) == "64")
        #expect(try connection.execute("SHOW fsync").value(row: 0, column: 0) == "on")
    }
}
