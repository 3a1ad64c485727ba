import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluicePostgres
import SluiceTestSupport
import Testing

/// The sink sends rows as one binary array per column (`unnest`): every value must arrive exactly
/// as it was, whatever characters it holds, NULLs must stay NULL, and numbers and times must keep
/// every digit — in both delivery modes (autocommit and two-phase commit).
@Suite("PostgreSQL sink row encoding", .postgresServer)
struct SinkRowEncodingTests {
    private static let awkward = [#"quote " and backslash \ and \" both"#, "comma, {braces} and (parens)", "NULL", "",
                                  " leading and trailing spaces ", "newline\nand\ttab", "ünïcödé ✓ 🚀", #"\N"#, "{}", #"{"a","b"}"#]

    private static func row(_ index: Int, clickID: String?, userName: String?, checkoutID: String? = nil) -> AttributedCheckout {
        let text = awkward[index % awkward.count]
        return AttributedCheckout(
            checkout: Checkout(checkoutID: checkoutID ?? "o\(index) \(text)", userID: Int64(-index), productID: text, paymentMethod: text,
                               totalAmount: "\(index).25", shippingAddress: text, billingAddress: text, userAgent: text,
                               ipAddress: text, eventTime: 1_700_000_000_000 + Int64(index) * 1_001),
            clickID: clickID.map { EventID($0) }, clickTime: clickID.map { _ in 1_699_999_990_000 - Int64(index) }, userName: userName)
    }

    private static func mode(_ checkpointing: Bool) -> String { checkpointing ? "exactly_once" : "at_least_once" }

    @Test("awkward text, NULLs, numbers and times round-trip; a correction in the same batch wins", arguments: [false, true])
    func valuesRoundTrip(checkpointing: Bool) throws {
        let fixture = try SinkFixture(table: "encoding_round_trip_\(Self.mode(checkpointing))")
        var rows = (0..<Self.awkward.count).map { index in
            Self.row(index, clickID: index % 3 == 0 ? nil : Self.awkward[(index + 1) % Self.awkward.count],
                     userName: index % 4 == 0 ? nil : Self.awkward[(index + 2) % Self.awkward.count])
        }
        // A UUID click id travels packed (`EventID`) and must arrive as its canonical text.
        rows[1].clickID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
        var correction = rows[4]
        correction.clickID = "earlier click"
        rows.append(correction)  // same checkout id, arrives in the same batch as the first version
        try write(rows, to: fixture, checkpointing: checkpointing, batchSize: 3)

        let stored = try Self.storedRows(fixture)
        #expect(stored.count == Self.awkward.count)
        #expect(stored == Self.expectedRows(rows))
        #expect(stored.contains { $0[2] == "earlier click" }, "the correction replaced the first version")
        #expect(stored.contains { $0[2] == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0" })
    }

    @Test("extreme user ids and times before 2000, before 1970 and to the millisecond arrive exactly", arguments: [false, true])
    func extremeNumbersAndTimesRoundTrip(checkpointing: Bool) throws {
        let fixture = try SinkFixture(table: "encoding_extremes_\(Self.mode(checkpointing))")
        let cases: [(userID: Int64, checkoutTime: Int64, clickTime: Int64?)] = [
            (.max, 946_684_800_000, nil),                                    // PostgreSQL's epoch exactly
            (.min, 946_684_799_999, 946_684_799_998),                        // the last milliseconds before it
            (0, -1, -86_400_000_001),                                        // before 1970: negative milliseconds
            (9_007_199_254_740_993, 1_700_000_000_123, 1_699_999_999_877),  // 2^53 + 1: a double would lose the last digit
            (-1, -62_135_596_800_000, 253_402_300_799_999),                 // 0001-01-01 00:00:00.000 and 9999-12-31 23:59:59.999
        ]
        let rows = cases.enumerated().map { index, value in
            AttributedCheckout(checkout: Checkout(checkoutID: "x\(index)", userID: value.userID, productID: "p", totalAmount: "-9999999999.99",
                                                  eventTime: value.checkoutTime),
                               clickID: value.clickTime.map { _ in EventID("k\(index)") }, clickTime: value.clickTime, userName: "u")
        }
        try write(rows, to: fixture, checkpointing: checkpointing, batchSize: 500)

        #expect(try Self.storedRows(fixture) == Self.expectedRows(rows))
        let wallClock = try fixture.reader.execute("""
            SELECT to_char(checkout_time, 'YYYY-MM-DD HH24:MI:SS.MS'), to_char(click_time, 'YYYY-MM-DD HH24:MI:SS.MS')
            FROM \(fixture.table) ORDER BY checkout_id
            """)
        #expect(wallClock.rows == rows.map { [EventTimeFormat.format($0.checkout.eventTime), $0.clickTime.map(EventTimeFormat.format)] },
                "timestamps hold the UTC wall-clock time of the instant")
    }

    @Test("a row for a checkout already in the table replaces every column, NULLs included", arguments: [false, true])
    func upsertReplacesExistingCheckout(checkpointing: Bool) throws {
        let fixture = try SinkFixture(table: "encoding_upsert_\(Self.mode(checkpointing))")
        let first = Self.row(1, clickID: "first click", userName: "ada")
        let second = Self.row(2, clickID: nil, userName: nil, checkoutID: first.checkout.checkoutID)
        try write([first, second], to: fixture, checkpointing: checkpointing, batchSize: 1)  // one statement each

        #expect(try Self.storedRows(fixture) == Self.expectedRows([second]))
    }

    @Test("a checkout twice in one batch is written once, as its last version", arguments: [false, true])
    func duplicateInBatchKeepsLast(checkpointing: Bool) throws {
        let fixture = try SinkFixture(table: "encoding_duplicate_\(Self.mode(checkpointing))")
        let rows = SinkFixture.rows([("a", "k1"), ("b", nil), ("a", "k2")])
        let sink = try fixture.openSink(checkpointing: checkpointing, params: ["batch-size": "3"])
        defer { sink.close() }
        try sink.process(rows)
        try sink.finish(output: DiscardingOutput())

        #expect(try fixture.visibleRows() == ["a": "k2", "b": "-"])
        #expect(sink.rowsWritten == 2)
    }

    /// Opens a sink, hands it `rows` and ends the input (which commits in both delivery modes).
    private func write(_ rows: [AttributedCheckout], to fixture: SinkFixture, checkpointing: Bool, batchSize: Int) throws {
        let sink = try fixture.openSink(checkpointing: checkpointing, params: ["batch-size": "\(batchSize)"])
        defer { sink.close() }
        var builder = AttributedRowBuilder(enriched: true)
        try sink.process(try rows.map { try builder.row($0) })
        try sink.finish(output: DiscardingOutput())
    }

    /// Every column of the table as text (times as epoch milliseconds), ordered by checkout id bytes.
    private static func storedRows(_ fixture: SinkFixture) throws -> [[String?]] {
        try fixture.reader.execute("""
            SELECT checkout_id, user_name, click_id, product_id, payment_method, total_amount::text, shipping_address,
                   billing_address, user_agent, ip_address, (extract(epoch FROM checkout_time) * 1000)::bigint::text,
                   (extract(epoch FROM click_time) * 1000)::bigint::text, user_id::text
            FROM \(fixture.table) ORDER BY checkout_id COLLATE "C"
            """).rows
    }

    /// What `storedRows` should read after writing `rows`: the last version of each checkout.
    private static func expectedRows(_ rows: [AttributedCheckout]) -> [[String?]] {
        Dictionary(rows.map { ($0.checkout.checkoutID, $0) }) { $1 }.values.map { row -> [String?] in
            let checkout = row.checkout
            return [checkout.checkoutID, row.userName, row.clickID?.description, checkout.productID, checkout.paymentMethod, checkout.totalAmount,
                    checkout.shippingAddress, checkout.billingAddress, checkout.userAgent, checkout.ipAddress,
                    String(checkout.eventTime), row.clickTime.map(String.init), String(checkout.userID)]
        }.sorted { ($0[0] ?? "").utf8.lexicographicallyPrecedes(($1[0] ?? "").utf8) }
    }
}
