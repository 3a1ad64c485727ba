import SluicePostgres
import SluiceTestSupport
import Testing

/// `send(_:binary:)` leaves a statement in flight: its result (and its error) must reach the
/// caller through `awaitInFlight()` or the next statement, never get lost, and the connection
/// must stay usable after a failed one.
@Suite("PostgreSQL statements in flight", .postgresServer)
struct PostgresSendTests {
    private func int8s(_ numbers: [Int64]) throws -> PostgresBinaryValue {
        var array = PostgresInt8Array()
        for number in numbers { array.append(number) }
        return try array.parameter()
    }

    @Test("awaitInFlight returns the sent statement's result, then nothing")
    func awaitReturnsTheSentResult() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TEMP TABLE sent_numbers (n int8)")
        try connection.send("INSERT INTO sent_numbers SELECT * FROM unnest($1::int8[])", binary: [try int8s([1, 2, 3])])
        let result = try #require(try connection.awaitInFlight())
        #expect(result.affectedRows == 3)
        #expect(try connection.awaitInFlight() == nil)
        #expect(try connection.execute("SELECT sum(n) FROM sent_numbers").value(row: 0, column: 0) == "6")
    }

    @Test("the next statement reads the one in flight first and sees its effect")
    func nextStatementWaitsForTheSentOne() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TEMP TABLE sent_then_read (n int8)")
        try connection.send("INSERT INTO sent_then_read SELECT * FROM unnest($1::int8[])", binary: [try int8s([40, 2])])
        #expect(try connection.execute("SELECT sum(n) FROM sent_then_read").value(row: 0, column: 0) == "42")
        try connection.send("INSERT INTO sent_then_read SELECT * FROM unnest($1::int8[])", binary: [try int8s([8])])
        try connection.send("INSERT INTO sent_then_read SELECT * FROM unnest($1::int8[])", binary: [try int8s([50])])
        #expect(try connection.simpleQuery("SELECT sum(n) FROM sent_then_read").value(row: 0, column: 0) == "100")
    }

    @Test("a failed statement's error comes with the next statement, which does not run; the connection stays usable")
    func failureSurfacesOnTheNextStatement() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TEMP TABLE sent_checked (n int8 CHECK (n > 0))")
        try connection.send("INSERT INTO sent_checked SELECT * FROM unnest($1::int8[])", binary: [try int8s([5, -1])])
        let error = #expect(throws: PostgresError.self) {
            try connection.simpleQuery("INSERT INTO sent_checked VALUES (7)")
        }
        #expect(error?.sqlState == "23514", "the check violation of the sent statement, not something else")
        #expect(try connection.awaitInFlight() == nil, "the failed statement was read")
        #expect(try connection.execute("SELECT count(*) FROM sent_checked").value(row: 0, column: 0) == "0",
                "neither the failed insert nor the statement that reported it wrote anything")
        try connection.simpleQuery("INSERT INTO sent_checked VALUES (7)")
        #expect(try connection.execute("SELECT sum(n) FROM sent_checked").value(row: 0, column: 0) == "7")
    }

    @Test("a failed statement inside a transaction rolls the transaction back at COMMIT")
    func failureInsideTransactionAbortsIt() throws {
        let connection = try PostgresServerTrait.connect()
        try connection.simpleQuery("CREATE TEMP TABLE sent_in_transaction (n int8 CHECK (n > 0))")
        try connection.simpleQuery("BEGIN")
        try connection.send("INSERT INTO sent_in_transaction SELECT * FROM unnest($1::int8[])", binary: [try int8s([1])])
        try connection.send("INSERT INTO sent_in_transaction SELECT * FROM unnest($1::int8[])", binary: [try int8s([-1])])
        #expect(throws: PostgresError.self) { try connection.awaitInFlight() }
        #expect(connection.transactionStatus == .failedTransaction)
        #expect(try connection.simpleQuery("COMMIT").commandTag == "ROLLBACK")
        #expect(try connection.execute("SELECT count(*) FROM sent_in_transaction").value(row: 0, column: 0) == "0")
    }
}
