import SluicePostgres
import SluiceTestSupport
import Testing

/// What `cluster/schema.sql` gives the sink table beyond its columns: a default that lets
/// PostgreSQL's COPY insert in multi-row batches (a volatile default forces one row at a time).
@Suite(.postgresServer) struct SinkTableSchemaTests {
    private func attributedAtDefault(on connection: PostgresConnection) throws -> String? {
        try connection.execute("""
            SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d
            JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            WHERE d.adrelid = 'commerce.attributed_checkouts'::regclass AND a.attname = 'attributed_at'
            """).value(row: 0, column: 0)
    }

    @Test("a table made with the old volatile default gets statement_timestamp(); the rows of one COPY share it")
    func attributedAtIsTheStatementStart() throws {
        let connection = try PostgresServerTrait.connect()
        // The table as an older schema.sql created it.
        _ = try connection.simpleQuery("""
            CREATE SCHEMA IF NOT EXISTS commerce;
            CREATE TABLE commerce.attributed_checkouts (
                checkout_id TEXT PRIMARY KEY, product_id TEXT NOT NULL, checkout_time TIMESTAMP(3) NOT NULL,
                user_id BIGINT NOT NULL, attributed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())
            """)
        #expect(try attributedAtDefault(on: connection) == "clock_timestamp()")
        _ = try connection.simpleQuery(try RepositoryLayout.schemaSQL())
        _ = try connection.simpleQuery(try RepositoryLayout.schemaSQL())  // idempotent, as every cluster start runs it
        #expect(try attributedAtDefault(on: connection) == "statement_timestamp()")

        let rows: [[String?]] = (1...200).map { ["c\($0)", "P00001", "2026-11-20 10:00:00", "7"] }
        let copied = try connection.copyIn(table: "commerce.attributed_checkouts",
                                           columns: ["checkout_id", "product_id", "checkout_time", "user_id"], rows: rows)
        #expect(copied == rows.count)
        // clock_timestamp() would give each of the 200 rows its own microsecond.
        let times = try connection.execute("SELECT count(*), count(DISTINCT attributed_at) FROM commerce.attributed_checkouts")
        #expect(times.value(row: 0, column: 0) == "200")
        #expect(times.value(row: 0, column: 1) == "1")
    }
}
