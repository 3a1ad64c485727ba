import SluiceEngine
import SluiceLibrary
import SluiceTestSupport
import Testing

/// The tumbling window aggregate against a brute-force reference on seeded random input with
/// disorder, late rows, NULLs and several keys.
@Suite struct TumblingWindowAggregatorTests {
    static let schema = Schema(name: "sale", columns: [
        Column("shop", .int64), Column("product", .string), Column("amount", .decimal(precision: 10, scale: 2)),
        Column("rating", .float64, nullable: true), Column("at", .timestamp),
    ], eventTime: "at")
    static let aggregates = [
        AggregateSpec(name: "n", function: .count, column: nil), AggregateSpec(name: "revenue", function: .sum, column: "amount"),
        AggregateSpec(name: "low", function: .min, column: "amount"), AggregateSpec(name: "high", function: .max, column: "amount"),
        AggregateSpec(name: "rated", function: .count, column: "rating"), AggregateSpec(name: "mean", function: .avg, column: "rating"),
    ]

    struct Sale {
        var shop: Int64, product: String, cents: Int64, rating: Double?, at: Int64
    }

    private func row(_ sale: Sale) throws -> Row {
        var builder = RowBuilder(RowLayout(Self.schema))
        builder.setInt64(0, sale.shop)
        builder.setString(1, sale.product)
        builder.setDecimal(2, Decimal64(unscaled: sale.cents, scale: 2))
        if let rating = sale.rating { builder.setFloat64(3, rating) }
        builder.setInt64(4, sale.at)
        return try builder.finish()
    }

    private struct Result: Equatable, CustomStringConvertible {
        var n: Int64, revenue: Int64, low: Int64, high: Int64, rated: Int64, mean: Double?
        var description: String { "n=\(n) revenue=\(revenue) low=\(low) high=\(high) rated=\(rated) mean=\(mean.map { "\($0)" } ?? "NULL")" }
    }

    private struct WindowKey: Hashable, Comparable {
        var shop: Int64, product: String, start: Int64
        static func < (a: Self, b: Self) -> Bool { (a.shop, a.product, a.start) < (b.shop, b.product, b.start) }
    }

    /// Runs `sales` in arrival order through the aggregator with a bounded-out-of-orderness
    /// watermark, firing after every row; returns the last result per window and the late sales.
    private func run(_ sales: [Sale], aggregator: TumblingWindowAggregator, outOfOrderness: Int64)
        throws -> (results: [WindowKey: Result], late: [Int], emissions: Int) {
        var states: [String: (state: WindowKeyState, key: Row)] = [:]
        var results: [WindowKey: Result] = [:]
        var late: [Int] = []
        var emissions = 0
        var maxTime = Int64.min
        let out = aggregator.output
        func collect(_ row: Row) {
            emissions += 1
            let key = WindowKey(shop: row.int64(0, out), product: row.string(1, out), start: row.int64(2, out))
            results[key] = Result(n: row.int64(4, out), revenue: row.int64(5, out), low: row.int64(6, out), high: row.int64(7, out),
                                  rated: row.int64(8, out), mean: row.isNull(9) ? nil : row.float64(9, out))
        }
        func fireAll(_ watermark: Int64) throws {
            for name in states.keys {
                guard let timer = aggregator.timer(states[name]!.state), timer <= watermark else { continue }
                try aggregator.fire(&states[name]!.state, key: states[name]!.key, watermark: watermark, emit: collect)
            }
        }
        for (index, sale) in sales.enumerated() {
            let watermark = maxTime == .min ? Int64.min : maxTime - outOfOrderness
            let name = "\(sale.shop)/\(sale.product)"
            let input = try row(sale)
            var entry = states[name] ?? (WindowKeyState(), input)
            switch try aggregator.add(input, to: &entry.state, watermark: watermark) {
            case .added: states[name] = entry
            case .late: late.append(index)
            }
            maxTime = max(maxTime, sale.at)
            try fireAll(maxTime - outOfOrderness)
        }
        try fireAll(.max)
        return (results, late, emissions)
    }

    /// The reference: a row is late iff, when it arrived, the watermark had passed its window's
    /// end plus the allowed lateness; every other row counts, aggregated by brute force.
    private func reference(_ sales: [Sale], size: Int64, lateness: Int64, outOfOrderness: Int64)
        -> (results: [WindowKey: Result], late: [Int]) {
        var groups: [WindowKey: [Sale]] = [:]
        var late: [Int] = []
        var maxTime = Int64.min
        for (index, sale) in sales.enumerated() {
            let start = Int64((Double(sale.at) / Double(size)).rounded(.down)) * size
            if maxTime != .min, start + size - 1 + lateness <= maxTime - outOfOrderness {
                late.append(index)
            } else {
                groups[WindowKey(shop: sale.shop, product: sale.product, start: start), default: []].append(sale)
            }
            maxTime = max(maxTime, sale.at)
        }
        let results = groups.mapValues { sales in
            let ratings = sales.compactMap(\.rating)
            return Result(n: Int64(sales.count), revenue: sales.map(\.cents).reduce(0, +), low: sales.map(\.cents).min()!,
                          high: sales.map(\.cents).max()!, rated: Int64(ratings.count),
                          mean: ratings.isEmpty ? nil : ratings.reduce(0, +) / Double(ratings.count))
        }
        return (results, late)
    }

    /// Sales in time order, then delivered with up to `disorder` ms of shuffling.
    private func randomSales(seed: UInt64, count: Int, disorder: Int64) -> [Sale] {
        var random = SplitMix64(seed: seed)
        var time: Int64 = 1_700_000_000_000
        var sales: [(arrival: Int64, sale: Sale)] = []
        for _ in 0..<count {
            time += Int64(random.next() % 400)
            let rating: Double? = random.next() % 4 == 0 ? nil : Double(random.next() % 50) / 10
            let sale = Sale(shop: Int64(random.next() % 3), product: ["a", "b"][Int(random.next() % 2)],
                            cents: Int64(random.next() % 10_000) - 1_000, rating: rating, at: time)
            sales.append((time + Int64(random.next() % UInt64(disorder + 1)), sale))
        }
        return sales.sorted { $0.arrival < $1.arrival }.map(\.sale)
    }

    @Test(arguments: [(UInt64(1), Int64(0)), (2, 0), (3, 2_000), (4, 5_000)])
    func resultsEqualTheBruteForceReference(seed: UInt64, lateness: Int64) throws {
        let size: Int64 = 5_000, outOfOrderness: Int64 = 1_500
        let sales = randomSales(seed: seed, count: 3_000, disorder: 4_000 + 2 * lateness)
        let aggregator = try TumblingWindowAggregator(input: Self.schema, keyBy: ["shop", "product"], sizeMillis: size,
                                                      allowedLatenessMillis: lateness, aggregates: Self.aggregates)
        let actual = try run(sales, aggregator: aggregator, outOfOrderness: outOfOrderness)
        let expected = reference(sales, size: size, lateness: lateness, outOfOrderness: outOfOrderness)
        #expect(!expected.late.isEmpty, "the input has late rows (seed \(seed))")
        #expect(actual.late == expected.late, "seed \(seed)")
        #expect(actual.results.count == expected.results.count, "seed \(seed)")
        for key in expected.results.keys.sorted() {
            guard let got = actual.results[key], let want = expected.results[key] else {
                Issue.record("window \(key) missing (seed \(seed))")
                continue
            }
            #expect(got.n == want.n && got.revenue == want.revenue && got.low == want.low && got.high == want.high
                    && got.rated == want.rated, "\(key): \(got) vs \(want)")
            #expect((got.mean == nil) == (want.mean == nil) && abs((got.mean ?? 0) - (want.mean ?? 0)) < 1e-9, "\(key)")
        }
        if lateness > 0 { #expect(actual.emissions > actual.results.count, "late rows within the lateness re-fired windows") }
    }

    @Test func aWindowFiresOnceTheWatermarkReachesItsLastMillisecond() throws {
        let aggregator = try TumblingWindowAggregator(input: Self.schema, keyBy: ["shop"], sizeMillis: 1_000,
                                                      allowedLatenessMillis: 0, aggregates: [AggregateSpec(name: "n", function: .count, column: nil)])
        var state = WindowKeyState()
        let sale = try row(Sale(shop: 1, product: "a", cents: 5, rating: nil, at: 2_500))
        #expect(try aggregator.add(sale, to: &state, watermark: .min) == .added)
        #expect(aggregator.timer(state) == 2_999)
        var emitted: [Row] = []
        try aggregator.fire(&state, key: sale, watermark: 2_998) { emitted.append($0) }
        #expect(emitted.isEmpty)
        try aggregator.fire(&state, key: sale, watermark: 2_999) { emitted.append($0) }
        let out = aggregator.output
        #expect(emitted.count == 1 && emitted[0].int64(1, out) == 2_000 && emitted[0].int64(2, out) == 3_000 && emitted[0].int64(3, out) == 1)
        #expect(state.isEmpty)
        #expect(try aggregator.add(sale, to: &state, watermark: 2_999) == .late(windowEnd: 3_000))
    }

    @Test func windowsBeforeTheEpochStartAtTheirFloor() throws {
        let aggregator = try TumblingWindowAggregator(input: Self.schema, keyBy: [], sizeMillis: 1_000, allowedLatenessMillis: 0,
                                                      aggregates: [AggregateSpec(name: "n", function: .count, column: nil)])
        #expect(aggregator.windowStart(-1) == -1_000 && aggregator.windowStart(-1_000) == -1_000 && aggregator.windowStart(999) == 0)
    }

    @Test func theAggregateListParsesToTheSameSpecs() throws {
        #expect(try AggregateSpec.parseList(
            "n=count(*), revenue=sum(amount), low=min(amount), high=max(amount), rated=count(rating), mean=avg(rating)") == Self.aggregates)
    }

    @Test func keyingByAColumnTheWindowAddsIsRefused() {
        let schema = Schema(name: "counts", columns: [Column("window_start", .timestamp), Column("n", .int64), Column("at", .timestamp)],
                            eventTime: "at")
        #expect(throws: SchemaRuleError.self) {
            _ = try TumblingWindowAggregator(input: schema, keyBy: ["window_start"], sizeMillis: 1_000, allowedLatenessMillis: 0,
                                             aggregates: [AggregateSpec(name: "c", function: .count, column: nil)])
        }
    }

    @Test func theOutputSchemaFollowsFromTheAggregates() throws {
        let aggregator = try TumblingWindowAggregator(input: Self.schema, keyBy: ["product"], sizeMillis: 60_000,
                                                      allowedLatenessMillis: 0, aggregates: Self.aggregates)
        #expect(aggregator.output.schema.columns.map(\.description) == [
            "product string", "window_start timestamp", "window_end timestamp", "n int64", "revenue decimal(18,2)",
            "low decimal(10,2)", "high decimal(10,2)", "rated int64", "mean float64?",
        ])
        #expect(aggregator.output.schema.eventTime == "window_end")
    }

    @Test(arguments: [
        ("s=sum(product)", "cannot sum column product string"),
        ("m=max(nope)", "no column 'nope'"),
        ("m=median(amount)", "unknown function 'median'"),
        ("s=sum(*)", "sum(*) is undefined"),
        ("n=count(*), n=count(*)", "named twice"),
        ("revenue", "is not name=function(column)"),
    ])
    func badAggregatesAreRefusedWithTheReason(_ text: String, _ reason: String) {
        do {
            let specs = try AggregateSpec.parseList(text)
            _ = try TumblingWindowAggregator(input: Self.schema, keyBy: ["product"], sizeMillis: 1_000, allowedLatenessMillis: 0, aggregates: specs)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.field == "params.aggregates")
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func aSumThatOverflowsFailsLoudlyInsteadOfWrapping() throws {
        let aggregator = try TumblingWindowAggregator(input: Self.schema, keyBy: [], sizeMillis: 1_000, allowedLatenessMillis: 0,
                                                      aggregates: [AggregateSpec(name: "s", function: .sum, column: "shop")])
        var state = WindowKeyState()
        let big = try row(Sale(shop: .max / 2 + 1, product: "a", cents: 0, rating: nil, at: 10))
        _ = try aggregator.add(big, to: &state, watermark: .min)
        #expect(throws: WindowAggregateError.overflow("s=sum(shop)")) { _ = try aggregator.add(big, to: &state, watermark: .min) }
    }
}
