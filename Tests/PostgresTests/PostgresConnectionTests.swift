import SluicePostgres
import SluiceTestSupport
import Testing

@Suite("PostgreSQL connection", .postgresServer)
struct PostgresConnectionTests {
    @Test("parameters round-trip text, NULLs and unicode without quoting")
    func parametersRoundTrip() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TABLE params_roundtrip (id int PRIMARY KEY, name text, note text)")
        let rows: [[String?]] = [
            ["1", "Zoë – Zürich ✓ 🚀", nil],
            ["2", "it's \"quoted\" \\ back\\slash", "tab\there\nnewline"],
            ["3", "", "'; DROP TABLE params_roundtrip; --"],
        ]
        for row in rows {
            let insert = try connection.execute("INSERT INTO params_roundtrip (id, name, note) VALUES ($1, $2, $3)", row)
            #expect(insert.affectedRows == 1)
            #expect(insert.commandTag == "INSERT 0 1")
        }
        let result = try connection.execute("SELECT id, name, note FROM params_roundtrip WHERE id >= $1 ORDER BY id", ["1"])
        #expect(result.columns == ["id", "name", "note"])
        #expect(result.rowCount == 3)
        #expect(result.rows == rows)
        #expect(result.isNull(row: 0, column: 2))
        #expect(!result.isNull(row: 2, column: 1), "an empty string is not NULL")
        #expect(result.value(row: 0, column: "name") == "Zoë – Zürich ✓ 🚀")
    }

    @Test("a connection has timeouts and keepalives, so an unreachable server fails a query instead of blocking it; the URL's own settings win")
    func connectionsTimeOutOnAnUnreachableServer() throws {
        let connection = try PostgresServerTrait.connect()
        #expect(connection.option("tcp_user_timeout") == "20000")
        #expect(connection.option("keepalives_idle") == "10")
        #expect(connection.option("connect_timeout") == "10")
        let url = try #require(PostgresServerTrait.current).url
        let own = try PostgresConnection.connect(url: url + (url.contains("?") ? "&" : "?") + "tcp_user_timeout=5000")
        #expect(own.option("tcp_user_timeout") == "5000")
        #expect(try own.execute("SELECT 1").value(row: 0, column: 0) == "1")
    }

    @Test("a query on a missing table fails with SQLSTATE 42P01 and names the statement")
    func undefinedTableHasSQLState() throws {
        let connection = try PostgresServerTrait.connect()
        let sql = "SELECT * FROM no_such_table WHERE id = $1"
        let error = try #require(throws: PostgresError.self) { try connection.execute(sql, ["1"]) }
        #expect(error.sqlState == "42P01")
        #expect(!error.isConnectionError)
        guard case .serverError(_, let message, _, _, let query) = error else {
            Issue.record("expected serverError, got \(error)")
            return
        }
        #expect(message.contains("no_such_table"))
        #expect(query == sql)
        #expect(connection.isConnected, "a statement error leaves the connection usable")
        #expect(try connection.execute("SELECT 1").value(row: 0, column: 0) == "1")
    }

    @Test("a unique violation carries the server's detail")
    func uniqueViolationHasDetail() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TABLE unique_detail (id int PRIMARY KEY)")
        try connection.execute("INSERT INTO unique_detail VALUES ($1)", ["7"])
        let error = try #require(throws: PostgresError.self) { try connection.execute("INSERT INTO unique_detail VALUES ($1)", ["7"]) }
        guard case .serverError(let sqlState, _, let detail, _, _) = error else {
            Issue.record("expected serverError, got \(error)")
            return
        }
        #expect(sqlState == "23505")
        #expect(detail?.contains("(id)=(7)") == true)
    }

    @Test("simpleQuery runs several statements and returns the last result")
    func simpleQueryRunsSeveralStatements() throws {
        let connection = try PostgresServerTrait.connect()
        let result = try connection.simpleQuery("""
            CREATE TABLE multi (n int);
            INSERT INTO multi SELECT generate_series(1, 5);
            SELECT sum(n) AS total FROM multi
            """)
        #expect(result.value(row: 0, column: "total") == "15")
    }

    @Test("COPY loads 10,000 rows, preserving tabs, newlines, backslashes, empty strings and NULLs")
    func copyInLoadsTenThousandRows() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE SCHEMA copy_schema; CREATE TABLE copy_schema.events (id int, payload text, note text)")
        let special: [String?] = ["a\tb", "line1\nline2\r\n", "back\\slash \\N not null", "", nil, "\\.", "ünï😀"]
        let rows = (0..<10_000).map { index -> [String?] in
            ["\(index)", "payload-\(index)", special[index % special.count]]
        }
        let copied = try connection.copyIn(table: "copy_schema.events", columns: ["id", "payload", "note"], rows: rows)
        #expect(copied == 10_000)

        let count = try connection.execute("SELECT count(*), count(note), count(DISTINCT payload) FROM copy_schema.events")
        let nonNullNotes = rows.filter { $0[2] != nil }.count
        #expect(count.rows == [["10000", "\(nonNullNotes)", "10000"]])
        let firstOfEach = try connection.execute("SELECT note FROM copy_schema.events WHERE id < $1 ORDER BY id", ["\(special.count)"])
        #expect(firstOfEach.rows.map { $0[0] } == special)
    }

    @Test("a COPY row of the wrong width aborts the COPY and loads nothing")
    func copyInRowOfWrongWidthLoadsNothing() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TABLE copy_abort (a text, b text)")
        let rows: [[String?]] = [["1", "x"], ["2"], ["3", "z"]]
        let error = try #require(throws: PostgresError.self) { try connection.copyIn(table: "copy_abort", columns: ["a", "b"], rows: rows) }
        guard case .clientError = error else {
            Issue.record("expected clientError, got \(error)")
            return
        }
        #expect(try connection.execute("SELECT count(*) FROM copy_abort").value(row: 0, column: 0) == "0")
        #expect(connection.transactionStatus == .idle, "the connection is usable after an aborted COPY")
    }

    @Test("transaction commits the body's writes and rolls them back when it throws")
    func transactionCommitsOrRollsBack() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TABLE tx_helper (n int)")
        try connection.transaction { try $0.execute("INSERT INTO tx_helper VALUES ($1)", ["1"]) }

        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try connection.transaction { connection in
                try connection.execute("INSERT INTO tx_helper VALUES ($1)", ["2"])
                throw Abort()
            }
        }
        #expect(connection.transactionStatus == .idle)
        #expect(try connection.execute("SELECT n FROM tx_helper ORDER BY n").rows == [["1"]])
    }

    @Test("transaction refuses to commit when a statement inside failed and the error was swallowed")
    func transactionDetectsSwallowedFailure() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TABLE tx_swallowed (n int)")
        let error = try #require(throws: PostgresError.self) {
            try connection.transaction { connection in
                try connection.execute("INSERT INTO tx_swallowed VALUES ($1)", ["1"])
                _ = try? connection.execute("SELECT * FROM missing_in_tx")
            }
        }
        guard case .invalidState = error else {
            Issue.record("expected invalidState, got \(error)")
            return
        }
        #expect(try connection.execute("SELECT count(*) FROM tx_swallowed").value(row: 0, column: 0) == "0")
    }

    @Test("connecting where no server listens fails as a connection error, password hidden")
    func connectingToNothingIsAConnectionError() throws {
        let port = try FreePort.next()
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection.connect(url: "postgresql://sluice:secret@127.0.0.1:\(port)/sluice?connect_timeout=5")
        }
        #expect(error.isConnectionError)
        #expect(!error.description.contains("secret"))
        #expect(error.description.contains("127.0.0.1:\(port)"))
    }

    @Test("a terminated backend surfaces as a connection error on the next statement")
    func terminatedBackendIsAConnectionError() throws {
        let victim = try PostgresServerTrait.connect()
        let admin = try PostgresServerTrait.connect()
        try admin.execute("SELECT pg_terminate_backend($1::int)", ["\(victim.backendProcessID)"])
        let error = try #require(throws: PostgresError.self) { try victim.execute("SELECT 1") }
        #expect(error.isConnectionError, "got \(error)")
        try victim.reconnect()
        #expect(try victim.execute("SELECT 1").value(row: 0, column: 0) == "1")
    }
}
