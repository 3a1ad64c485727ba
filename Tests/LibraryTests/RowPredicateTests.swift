import SluiceEngine
import SluiceLibrary
import SluiceTestSupport
import Testing

/// Filter conditions against the same conditions written as Swift closures, on seeded random
/// rows with NULLs; and what is refused at submission.
@Suite struct RowPredicateTests {
    static let schema = Schema(name: "order", columns: [
        Column("id", .int64), Column("amount", .decimal(precision: 10, scale: 2)), Column("ratio", .float64, nullable: true),
        Column("method", .string, nullable: true), Column("gift", .bool), Column("at", .timestamp),
    ], eventTime: "at")

    struct Order: Sendable {
        var id: Int64, cents: Int64, ratio: Double?, method: String?, gift: Bool, at: Int64
    }

    private func row(_ order: Order) throws -> Row {
        var builder = RowBuilder(RowLayout(Self.schema))
        builder.setInt64(0, order.id)
        builder.setDecimal(1, Decimal64(unscaled: order.cents, scale: 2))
        if let ratio = order.ratio { builder.setFloat64(2, ratio) }
        if let method = order.method { builder.setString(3, method) }
        builder.setBool(4, order.gift)
        builder.setInt64(5, order.at)
        return try builder.finish()
    }

    /// Conditions and their reference meaning (SQL: a comparison with NULL is not true).
    static let cases: [(String, @Sendable (Order) -> Bool)] = [
        ("id > 50", { $0.id > 50 }),
        ("amount >= 12.50 and gift = true", { $0.cents >= 1_250 && $0.gift }),
        ("method = 'card' or method = 'it''s'", { $0.method == "card" || $0.method == "it's" }),
        ("ratio < 0.5 and method != 'card'", { ($0.ratio.map { $0 < 0.5 } ?? false) && ($0.method.map { $0 != "card" } ?? false) }),
        ("method is null or ratio is not null and id <= 10", { $0.method == nil || ($0.ratio != nil && $0.id <= 10) }),
        ("at >= '2026-11-20 00:00:30' and at < 1795132860000", { $0.at >= 1_795_132_830_000 && $0.at < 1_795_132_860_000 }),
        ("gift != true", { !$0.gift }),
    ]

    @Test func conditionsAgreeWithTheirReferenceOnRandomRows() throws {
        var random = SplitMix64(seed: 77)
        let orders = (0..<2_000).map { _ in
            Order(id: Int64(random.next() % 100), cents: Int64(random.next() % 3_000),
                  ratio: random.next() % 4 == 0 ? nil : Double(random.next() % 100) / 100,
                  method: [nil, "card", "cash", "it's"][Int(random.next() % 4)], gift: random.next() % 2 == 0,
                  at: 1_795_132_800_000 + Int64(random.next() % 90_000))
        }
        for (text, reference) in Self.cases {
            let predicate = try RowPredicate(text, schema: Self.schema)
            var matched = 0
            for order in orders {
                let expected = reference(order)
                #expect(try predicate.matches(row(order)) == expected, "\(text) on \(order)")
                if expected { matched += 1 }
            }
            #expect(matched > 0 && matched < orders.count, "'\(text)' splits the input")
        }
    }

    @Test(arguments: [
        ("amount > 'x'", "is not a decimal(10,2) value"), ("nope = 1", "no column 'nope'"), ("amont > 1", "did you mean 'amount'"),
        ("method = card", "quote text values"), ("gift > true", "compare it with = or !="), ("id >", "needs a value"),
        ("id = 1 and", "a condition is missing"), ("id ~ 1", "unknown comparison '~'"), ("amount > 1.234", "not a decimal(10,2)"),
        ("at > 'yesterday'", "no timestamp"), ("method = 'open", "a quote is not closed"), ("", "is empty"),
        ("id = 1 xor id = 2", "expected 'and' or 'or'"),
    ])
    func badConditionsAreRefusedWithTheReason(_ text: String, _ reason: String) {
        do {
            _ = try RowPredicate(text, schema: Self.schema)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.field == "params.where" && error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func aProjectionKeepsOrdersAndRenamesColumns() throws {
        let projection = try RowProjection("at, amount as total, method", schema: Self.schema, name: "p")
        #expect(projection.output.schema.columnList == "at timestamp, total decimal(10,2), method string?")
        #expect(projection.output.schema.eventTime == "at")
        var builder = RowBuilder(projection.output)
        let projected = try projection.apply(try row(Order(id: 1, cents: 995, ratio: nil, method: nil, gift: true, at: 42)), into: &builder)
        #expect(projected.int64(0, projection.output) == 42 && projected.decimal(1, projection.output).description == "9.95")
        #expect(projected.isNull(2))
    }

    @Test(arguments: [("id, amount", "keep the event-time column at"), ("at, id as at", "names 'at' twice"),
                      ("at, idd", "did you mean 'id'"), ("at, id to x", "is not 'column' or 'column as name'")])
    func badProjectionsAreRefused(_ text: String, _ reason: String) {
        do {
            _ = try RowProjection(text, schema: Self.schema, name: "p")
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.field == "params.columns" && error.message.contains(reason), "\(error.message)")
        }
    }
}
