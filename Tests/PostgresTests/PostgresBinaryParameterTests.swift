import SluicePostgres
import SluiceTestSupport
import Testing

/// Binary-format parameters against a real server: what `PostgresTextArray`,
/// `PostgresInt8Array` and `PostgresTimestampArray` build is what PostgreSQL reads back, and a
/// value that does not fit its declared type is a server error, not a crash.
@Suite("PostgreSQL binary parameters", .postgresServer)
struct PostgresBinaryParameterTests {
    @Test("text elements arrive byte for byte; NULL, the text NULL and the empty text stay apart")
    func textArrayRoundTrips() throws {
        let connection = try PostgresServerTrait.connect()
        let texts: [String?] = [#"quote " backslash \ \" "#, "{braces}, commas", "NULL", nil, "", "ünïcödé ✓ 🚀", #"\N"#, "tab\tnewline\n"]
        var array = PostgresTextArray()
        for text in texts { try array.append(text) }
        let result = try connection.execute("SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS rows(t, n) ORDER BY n",
                                            binary: [try array.parameter()])
        #expect(result.rows == texts.map { [$0] })
        #expect(result.isNull(row: 3, column: 0))
        #expect(!result.isNull(row: 2, column: 0) && !result.isNull(row: 4, column: 0))
    }

    @Test("int8 elements arrive exactly, the extremes included")
    func int8ArrayRoundTrips() throws {
        let connection = try PostgresServerTrait.connect()
        let numbers: [Int64?] = [.min, -1, 0, nil, 9_007_199_254_740_993, .max]
        var array = PostgresInt8Array()
        for number in numbers { array.append(number) }
        let result = try connection.execute("SELECT i::text FROM unnest($1::int8[]) WITH ORDINALITY AS rows(i, n) ORDER BY n",
                                            binary: [try array.parameter()])
        #expect(result.rows == numbers.map { [$0.map(String.init)] })
    }

    @Test("timestamp elements keep the millisecond, before 2000 and before 1970 too")
    func timestampArrayRoundTrips() throws {
        let connection = try PostgresServerTrait.connect()
        let cases: [(millis: Int64?, text: String?)] = [
            (946_684_800_000, "2000-01-01 00:00:00"), (946_684_799_999, "1999-12-31 23:59:59.999"),
            (-1, "1969-12-31 23:59:59.999"), (nil, nil), (1_700_000_000_123, "2023-11-14 22:13:20.123"),
            (-62_135_596_800_000, "0001-01-01 00:00:00"),
        ]
        var array = PostgresTimestampArray()
        for value in cases { try array.append(epochMillis: value.millis) }
        let result = try connection.execute("""
            SELECT t::text, (extract(epoch FROM t) * 1000)::bigint::text
            FROM unnest($1::timestamp[]) WITH ORDINALITY AS rows(t, n) ORDER BY n
            """, binary: [try array.parameter()])
        #expect(result.rows == cases.map { [$0.text, $0.millis.map(String.init)] })
    }

    @Test("several arrays unnest side by side into rows, and an empty array into none")
    func arraysUnnestTogether() throws {
        let connection = try PostgresServerTrait.connect()
        var names = PostgresTextArray(), ids = PostgresInt8Array()
        for (name, id) in [("a", Int64(1)), ("b", 2)] {
            try names.append(name)
            ids.append(id)
        }
        let sql = "SELECT name, id::text FROM unnest($1::text[], $2::int8[]) AS rows(name, id) ORDER BY id"
        #expect(try connection.execute(sql, binary: [try names.parameter(), try ids.parameter()]).rows == [["a", "1"], ["b", "2"]])
        names.removeAll()
        ids.removeAll()
        let empty = try connection.execute(sql, binary: [try names.parameter(), try ids.parameter()])
        #expect(empty.rowCount == 0)
    }

    @Test("a zero-length value is not NULL, and a value without bytes is")
    func zeroLengthValueIsNotNull() throws {
        let connection = try PostgresServerTrait.connect()
        let bytea: UInt32 = 17
        let result = try connection.execute("SELECT $1::bytea IS NULL, length($1::bytea)::text, $2::bytea IS NULL",
                                            binary: [PostgresBinaryValue(typeOID: bytea, bytes: []), PostgresBinaryValue(typeOID: bytea, bytes: nil)])
        #expect(result.rows == [["f", "0", "t"]])
    }

    @Test("bytes that do not fit the declared type are a server error that leaves the connection usable")
    func mismatchedTypeIsServerError() throws {
        let connection = try PostgresServerTrait.connect()
        var texts = PostgresTextArray()
        try texts.append("not a number")
        var mislabelled = try texts.parameter()
        mislabelled.typeOID = PostgresInt8Array.arrayOID
        let error = try #require(throws: PostgresError.self) { try connection.execute("SELECT $1::int8[]", binary: [mislabelled]) }
        #expect(error.sqlState != nil, "the server refused it: \(error)")
        #expect(!error.isConnectionError)
        #expect(try connection.execute("SELECT 1").value(row: 0, column: 0) == "1")
    }
}
