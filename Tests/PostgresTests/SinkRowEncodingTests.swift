import SluiceOperators
import SluicePostgres
import SluiceTestSupport
import Testing

/// The sink sends rows as one text array per column (`unnest`): every value must arrive exactly
/// as it was, whatever characters it holds, and NULLs must stay NULL.
@Suite("PostgreSQL sink row encoding", .postgresServer)
struct SinkRowEncodingTests {
    private static let awkward = [#"quote " and backslash \ and \" both"#, "comma, {braces} and (parens)", "NULL", "",
                                  " leading and trailing spaces ", "newline\nand\ttab", "ünïcödé ✓ 🚀", #"\N"#]

    private static func row(_ index: Int, clickID: String?, userName: String?) -> AttributedCheckout {
        let text = awkward[index % awkward.count]
        return AttributedCheckout(
            checkout: Checkout(checkoutID: "o\(index) \(text)", userID: Int64(-index), productID: text, paymentMethod: text,
                               totalAmount: "\(index).25", shippingAddress: text, billingAddress: text, userAgent: text,
                               ipAddress: text, eventTime: 1_700_000_000_000 + Int64(index) * 1_001),
            clickID: clickID, clickTime: clickID.map { _ in 1_699_999_990_000 - Int64(index) }, userName: userName)
    }

    @Test("awkward text, NULLs, numbers and times round-trip; a correction in the same batch wins")
    func valuesRoundTrip() throws {
        let fixture = try SinkFixture(table: "encoding_round_trip")
        let sink = try fixture.openSink(checkpointing: false, params: ["batch-size": "3"])
        defer { sink.close() }
        var rows = (0..<Self.awkward.count).map { index in
            Self.row(index, clickID: index % 3 == 0 ? nil : Self.awkward[(index + 1) % Self.awkward.count],
                     userName: index % 4 == 0 ? nil : Self.awkward[(index + 2) % Self.awkward.count])
        }
        var correction = rows[4]
        correction.clickID = "earlier click"
        rows.append(correction)  // same checkout id, arrives in the same batch as the first version
        try sink.process(rows.map(StreamRecord.attributed))
        try sink.finish(output: DiscardingOutput())

        let result = try fixture.reader.execute("""
            SELECT checkout_id, user_name, click_id, product_id, payment_method, total_amount::text, shipping_address,
                   billing_address, user_agent, ip_address, (extract(epoch FROM checkout_time) * 1000)::bigint::text,
                   (extract(epoch FROM click_time) * 1000)::bigint::text, user_id::text
            FROM \(fixture.table) ORDER BY checkout_id
            """)
        let stored = result.rows
        var expected = Dictionary(rows.map { ($0.checkout.checkoutID, $0) }) { $1 }.values.map { row -> [String?] in
            let checkout = row.checkout
            return [checkout.checkoutID, row.userName, row.clickID, checkout.productID, checkout.paymentMethod, checkout.totalAmount,
                    checkout.shippingAddress, checkout.billingAddress, checkout.userAgent, checkout.ipAddress,
                    String(checkout.eventTime), row.clickTime.map(String.init), String(checkout.userID)]
        }
        expected.sort { ($0[0] ?? "").utf8.lexicographicallyPrecedes(($1[0] ?? "").utf8) }
        #expect(stored.count == Self.awkward.count)
        #expect(stored.sorted { ($0[0] ?? "").utf8.lexicographicallyPrecedes(($1[0] ?? "").utf8) } == expected)
        #expect(stored.contains { $0[2] == "earlier click" }, "the correction replaced the first version")
    }
}
