import SluiceEngine
import SluiceLibrary
import SluiceTestSupport
import Testing

/// Top-N per partition against a brute-force sort, on seeded random input with updates of the
/// same product (an upstream window firing again), disorder, late rows and several partitions.
@Suite struct TopNRankerTests {
    static let schema = Schema(name: "counts", columns: [
        Column("window_start", .timestamp), Column("product_id", .string), Column("clicks", .int64), Column("window_end", .timestamp),
    ], eventTime: "window_end")
    static let layout = RowLayout(schema)

    struct Count {
        var start: Int64, product: String, clicks: Int64
    }

    private func row(_ count: Count, size: Int64) throws -> Row {
        var builder = RowBuilder(Self.layout)
        builder.setInt64(0, count.start)
        builder.setString(1, count.product)
        builder.setInt64(2, count.clicks)
        builder.setInt64(3, count.start + size)
        return try builder.finish()
    }

    @Test(arguments: [(UInt64(7), Int64(0)), (8, 0), (9, 3_000)])
    func rankingsEqualABruteForceSortOfTheLatestValues(seed: UInt64, lateness: Int64) throws {
        var random = SplitMix64(seed: seed)
        let size: Int64 = 1_000, limit = 5
        let ranker = try TopNRanker(input: Self.schema, orderBy: "clicks desc", limit: limit, uniqueBy: ["product_id"],
                                    allowedLatenessMillis: lateness)
        // Counts of 12 products in 40 windows, each product updated a few times, delivered with disorder.
        var counts: [(arrival: Int64, count: Count)] = []
        for window in 0..<40 {
            let start = Int64(window) * size
            for product in 0..<12 {
                for update in 0..<Int(random.next() % 3 + 1) {
                    let count = Count(start: start, product: "p\(product)", clicks: Int64(random.next() % 20) + Int64(update) * 5)
                    counts.append((start + size + Int64(random.next() % UInt64(2_500 + 2 * lateness)), count))
                }
            }
        }
        counts.sort { $0.arrival < $1.arrival }
        var states: [Int64: TopNPartitionState] = [:]
        var latest: [Int64: [Int64]] = [:]
        var late = 0
        var accepted: [Int64: [String: Int64]] = [:]
        var maxTime = Int64.min
        for (arrival, count) in counts {
            let watermark = maxTime == .min ? Int64.min : maxTime - 1_000
            var state = states[count.start] ?? TopNPartitionState()
            switch ranker.add(try row(count, size: size), to: &state, watermark: watermark) {
            case .added:
                states[count.start] = state
                accepted[count.start, default: [:]][count.product] = count.clicks
            case .late:
                late += 1
            }
            maxTime = max(maxTime, arrival)
            for start in states.keys {
                guard let timer = ranker.timer(states[start]!), timer <= maxTime - 1_000 else { continue }
                var ranks: [Int64] = []
                try ranker.fire(&states[start]!, watermark: maxTime - 1_000) { ranks.append($0.int64(2, ranker.output)) ; #expect($0.int64(4, ranker.output) == Int64(ranks.count)) }
                if !ranks.isEmpty { latest[start] = ranks }
            }
        }
        for start in states.keys { try ranker.fire(&states[start]!, watermark: .max) { _ in } }
        #expect(late > 0, "the input has late rows (seed \(seed))")
        for (start, products) in accepted {
            let expected = Array(products.values.sorted(by: >).prefix(limit))
            #expect(latest[start] == expected, "window \(start), seed \(seed)")
        }
    }

    @Test func tiesAreBrokenByTheUniqueColumnsSoRanksAreDeterministic() throws {
        let ranker = try TopNRanker(input: Self.schema, orderBy: "clicks", limit: 2, uniqueBy: ["product_id"], allowedLatenessMillis: 0)
        var state = TopNPartitionState()
        for product in ["c", "a", "b"] { _ = ranker.add(try row(Count(start: 0, product: product, clicks: 3), size: 10), to: &state, watermark: .min) }
        var ranked: [String] = []
        try ranker.fire(&state, watermark: 10) { ranked.append($0.string(1, ranker.output)) }
        #expect(ranked == ["a", "b"])
        #expect(state.rows.isEmpty, "the partition closed with no lateness")
    }

    @Test(arguments: [
        ("clicks sideways", "params.order-by"), ("nope desc", "params.order-by"), ("product_id", "params.order-by"),
    ])
    func badOrderingsAreRefused(_ orderBy: String, _ field: String) {
        #expect(throws: SchemaRuleError.self) {
            _ = try TopNRanker(input: Self.schema, orderBy: orderBy, limit: 5, uniqueBy: [], allowedLatenessMillis: 0)
        }
    }

    @Test func theOutputAppendsTheRank() throws {
        let ranker = try TopNRanker(input: Self.schema, orderBy: "clicks desc", limit: 5, uniqueBy: [], allowedLatenessMillis: 0)
        #expect(ranker.output.schema.columnNames == ["window_start", "product_id", "clicks", "window_end", "rank"])
        #expect(throws: SchemaRuleError.self) {
            _ = try TopNRanker(input: Self.schema, orderBy: "clicks", limit: 5, uniqueBy: [], allowedLatenessMillis: 0, rankColumn: "clicks")
        }
    }
}
