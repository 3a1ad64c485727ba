import SluicePostgres
import SluiceTestSupport
import Testing

/// Binary COPY (`PostgresCopyBinaryWriter`, `sendCopy`) against a real server: every value
/// must arrive as the text form would have put it (numbers to the last digit and scale, times to
/// the millisecond, NULLs as NULL), a refused row must fail the whole COPY with its SQLSTATE
/// through `awaitInFlight`, and the connection must stay usable after any failure.
@Suite("PostgreSQL binary COPY", .postgresServer)
struct PostgresBinaryCopyTests {
    private static let numbers = ["0", "-0", "0.000", "1", "-1", "140.21", "-1.5", "0.0001", "0.00010", "12345678.90", "10000",
                                  "99999999", "100000000", "1e3", "1.5E-3", "-2.50e+2", "1e-8", "7e0", ".5", "5.", "+7.25",
                                  "123456789012345678901234567890.123456789", "0.000000000000000000001", "000120.0300"]

    @Test("a decimal text's binary numeric equals what the server parses from the text, scale included")
    func numericsMatchTheServersParse() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TEMP TABLE copied_numbers (text text, number numeric)")
        var writer = PostgresCopyBinaryWriter()
        for text in Self.numbers {
            writer.beginRow(fields: 2)
            try writer.append(text: text)
            let appended = writer.append(numeric: text)
            #expect(appended, "\(text) has a binary form")
        }
        writer.finish()
        try connection.sendCopy("COPY copied_numbers (text, number) FROM STDIN (FORMAT binary)", data: writer.bytes)
        #expect(try connection.awaitInFlight()?.affectedRows == Self.numbers.count)
        let mismatches = try connection.execute(
            "SELECT text || ' arrived as ' || number::text FROM copied_numbers WHERE number::text <> text::numeric::text ORDER BY text")
        #expect(mismatches.rowCount == 0, "\((0..<mismatches.rowCount).map { mismatches.value(row: $0, column: 0) ?? "" })")
        #expect(try connection.execute("SELECT count(*) FROM copied_numbers").value(row: 0, column: 0) == "\(Self.numbers.count)")
    }

    @Test("text that is not a decimal number, or too large for the binary form, is refused and leaves nothing behind")
    func malformedNumericsAreRefused() {
        var writer = PostgresCopyBinaryWriter()
        writer.beginRow(fields: 1)
        let before = writer.bytes
        for text in ["", "-", "+", ".", "abc", "1e", "1e+", "1.2.3", "--1", "1 ", " 1", "1e999999", "0x10", "NaN", "Infinity",
                     String(repeating: "9", count: 1_001)] {
            let appended = writer.append(numeric: text)
            #expect(!appended, "'\(text.prefix(20))' is refused")
            #expect(writer.bytes == before, "'\(text.prefix(20))' appended nothing")
        }
    }

    @Test("texts, NULLs, int8s and timestamps arrive as they were")
    func valuesRoundTrip() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TEMP TABLE copied_values (label text, amount int8, at timestamp(3), note text)")
        var writer = PostgresCopyBinaryWriter()
        let rows: [(String, Int64, Int64?, String?)] = [
            ("tab\tand\nnewline \\N", .min, 946_684_800_000, nil),
            ("ünïcödé ✓", .max, 1_700_000_000_123, ""),
            ("", -1, nil, "NULL"),
            ("before 2000", 0, -1, "x"),
        ]
        for (label, amount, at, note) in rows {
            writer.beginRow(fields: 4)
            try writer.append(text: label)
            writer.append(int8: amount)
            try writer.append(timestampMillis: at)
            try writer.append(text: note)
        }
        writer.finish()
        #expect(writer.rows == rows.count)
        try connection.sendCopy("COPY copied_values FROM STDIN (FORMAT binary)", data: writer.bytes)
        try connection.awaitInFlight()
        let stored = try connection.execute(
            "SELECT label, amount::text, to_char(at, 'YYYY-MM-DD HH24:MI:SS.MS'), note, note IS NULL FROM copied_values ORDER BY copied_values.amount")
        #expect(stored.rowCount == 4)
        #expect(stored.value(row: 0, column: 0) == "tab\tand\nnewline \\N")
        #expect(stored.value(row: 0, column: 1) == "\(Int64.min)")
        #expect(stored.value(row: 0, column: 2) == "2000-01-01 00:00:00.000")
        #expect(stored.value(row: 0, column: 4) == "t")
        #expect(stored.value(row: 1, column: 0) == "")
        #expect(stored.value(row: 1, column: 2) == nil, "a NULL time")
        #expect(stored.value(row: 1, column: 3) == "NULL", "the word NULL is text")
        #expect(stored.value(row: 2, column: 2) == "1969-12-31 23:59:59.999")
        #expect(stored.value(row: 3, column: 0) == "ünïcödé ✓")
        #expect(stored.value(row: 3, column: 2) == "2023-11-14 22:13:20.123")
        #expect(stored.value(row: 3, column: 3) == "", "an empty text is not NULL")
    }

    @Test("a row that violates a unique key fails the whole COPY with 23505 at awaitInFlight; the connection stays usable")
    func uniqueViolationFailsTheWholeCopy() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TEMP TABLE copied_keys (id text PRIMARY KEY)")
        try connection.simpleQuery("INSERT INTO copied_keys VALUES ('taken')")
        var writer = PostgresCopyBinaryWriter()
        for id in ["new 1", "taken", "new 2"] {
            writer.beginRow(fields: 1)
            try writer.append(text: id)
        }
        writer.finish()
        try connection.sendCopy("COPY copied_keys FROM STDIN (FORMAT binary)", data: writer.bytes)
        let error = #expect(throws: PostgresError.self) { try connection.awaitInFlight() }
        #expect(error?.sqlState == "23505")
        #expect(try connection.execute("SELECT string_agg(id, ',' ORDER BY id) FROM copied_keys").value(row: 0, column: 0) == "taken",
                "no row of the failed COPY was loaded")
        writer.reset()
        writer.beginRow(fields: 1)
        try writer.append(text: "new 3")
        writer.finish()
        try connection.sendCopy("COPY copied_keys FROM STDIN (FORMAT binary)", data: writer.bytes)
        #expect(try connection.awaitInFlight()?.affectedRows == 1, "a refilled writer holds only its new row")
    }

    @Test("a COPY the server refuses to start throws at once, with nothing left in flight")
    func refusedCopyThrowsAtOnce() throws {
        let connection = try PostgresServerTrait.connect()
        var writer = PostgresCopyBinaryWriter()
        writer.finish()
        let error = #expect(throws: PostgresError.self) {
            try connection.sendCopy("COPY no_such_table FROM STDIN (FORMAT binary)", data: writer.bytes)
        }
        #expect(error?.sqlState == "42P01")
        #expect(try connection.awaitInFlight() == nil)
        #expect(try connection.execute("SELECT 1").value(row: 0, column: 0) == "1")
    }
}
