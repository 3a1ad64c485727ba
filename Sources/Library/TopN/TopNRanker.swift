import SluiceEngine

/// Top-N per partition key (Flink's rank operator, `ROW_NUMBER() … WHERE rn <= N` in SQL): the
/// pure logic, no I/O.
///
/// Rows of one partition (one key, e.g. one window's `window_start`) are collected until the
/// watermark reaches the partition's event time; then the best `limit` by `order-by` are emitted
/// with their 1-based `rank` appended (the sink upserts on partition + rank). Ties are broken by
/// the `unique-by` columns (ascending bytes), so results are deterministic. A row whose
/// `unique-by` columns equal an earlier one's replaces it (an upstream window that fired again
/// after a late row), and the partition is ranked again. A partition stays open for
/// `allowedLateness` after it fired; a row for a closed partition is late (side output).
public struct TopNRanker: Sendable {
    public enum AddOutcome: Sendable, Equatable { case added, late }

    public let input: RowLayout
    public let output: RowLayout
    public let limit: Int
    public let allowedLateness: Int64
    let orderColumn: Int
    let descending: Bool
    let uniqueColumns: [Int]
    let timeColumn: Int

    /// `orderBy` is `column` or `column desc|asc`.
    public init(input schema: Schema, orderBy: String, limit: Int, uniqueBy: [String], allowedLatenessMillis: Int64,
                rankColumn: String = "rank") throws(SchemaRuleError) {
        let words = orderBy.split(separator: " ").map(String.init)
        guard (1...2).contains(words.count), let index = schema.index(of: words[0]) else {
            throw SchemaRuleError("params.order-by", "'\(orderBy)' must name an input column, optionally followed by asc or desc; "
                                  + "the input has \(schema.columnNames.joined(separator: ", "))")
        }
        let direction = words.count == 2 ? words[1].lowercased() : "desc"
        guard direction == "asc" || direction == "desc" else {
            throw SchemaRuleError("params.order-by", "direction must be asc or desc, got '\(words[1])'")
        }
        let type = schema.columns[index].type
        guard RowLayout.slot(for: type) == .int64 || type == .float64 else {
            throw SchemaRuleError("params.order-by", "cannot order by \(schema.columns[index]); use an int64, float64, timestamp or decimal(p≤18,s) column")
        }
        guard limit >= 1 else { throw SchemaRuleError("params.limit", "must be at least 1") }
        guard let eventTime = schema.eventTime, let timeColumn = schema.index(of: eventTime) else {
            throw SchemaRuleError("inputs[0]", "has no event-time column; Top-N ranks a partition once the watermark passes it")
        }
        var unique: [Int] = []
        for name in uniqueBy {
            guard let column = schema.index(of: name) else { throw SchemaRuleError("params.unique-by", "no column '\(name)' in the input") }
            unique.append(column)
        }
        guard schema.column(rankColumn) == nil else {
            throw SchemaRuleError("params.rank-column", "the input already has a column '\(rankColumn)'; name the rank differently")
        }
        input = RowLayout(schema)
        output = RowLayout(schema.appending([Column(rankColumn, .int64)], name: "\(schema.name) ranked"))
        self.limit = limit
        self.allowedLateness = allowedLatenessMillis
        orderColumn = index
        descending = direction == "desc"
        uniqueColumns = unique
        self.timeColumn = timeColumn
    }

    /// Adds `row` to its partition's candidates; `.late` once the partition closed at `watermark`.
    public func add(_ row: Row, to state: inout TopNPartitionState, watermark: Int64) -> AddOutcome {
        let time = row.int64(timeColumn, input)
        let closes = max(state.time ?? time, time) + allowedLateness
        if watermark != .min, (state.emitted && closes <= watermark) || time + allowedLateness <= watermark { return .late }
        if !uniqueColumns.isEmpty, let existing = state.rows.firstIndex(where: { sameUnique($0, row) }) {
            state.rows[existing] = row
        } else {
            state.rows.append(row)
        }
        state.time = max(state.time ?? time, time)
        state.emitted = false
        return .added
    }

    /// When `state` next needs `fire`: its event time until ranked, then the end of its lateness.
    public func timer(_ state: TopNPartitionState) -> Int64? {
        state.time.map { $0 + (state.emitted ? allowedLateness : 0) }
    }

    /// Emits the top `limit` rows with their ranks once the watermark reached the partition, and
    /// empties the partition once its lateness passed.
    public func fire(_ state: inout TopNPartitionState, watermark: Int64, emit: (Row) throws -> Void) throws {
        guard let time = state.time else { return }
        if !state.emitted, time <= watermark {
            let ranked = state.rows.sorted(by: ranksBefore).prefix(limit)
            var builder = RowBuilder(output)
            for (rank, row) in ranked.enumerated() {
                for column in 0..<input.columnCount { builder.copy(column, from: row, column: column, layout: input) }
                builder.setInt64(input.columnCount, Int64(rank + 1))
                try emit(try builder.finish())
            }
            state.emitted = true
        }
        if state.emitted, time + allowedLateness <= watermark { state = TopNPartitionState() }
    }

    private func ranksBefore(_ a: Row, _ b: Row) -> Bool {
        if input.slots[orderColumn] == .float64 {
            let x = a.float64(orderColumn, input), y = b.float64(orderColumn, input)
            if x != y { return descending ? x > y : x < y }
        } else {
            let x = a.int64(orderColumn, input), y = b.int64(orderColumn, input)
            if x != y { return descending ? x > y : x < y }
        }
        for column in uniqueColumns {
            let order = compare(a, b, column)
            if order != 0 { return order < 0 }
        }
        return false
    }

    private func sameUnique(_ a: Row, _ b: Row) -> Bool { uniqueColumns.allSatisfy { compare(a, b, $0) == 0 } }

    /// Byte order of one column of two rows (NULL first); int64 slots compare as integers.
    private func compare(_ a: Row, _ b: Row, _ column: Int) -> Int {
        switch (a.isNull(column), b.isNull(column)) {
        case (true, true): return 0
        case (true, false): return -1
        case (false, true): return 1
        case (false, false): break
        }
        switch input.slots[column] {
        case .variable:
            return a.withVariable(column, input) { x in
                b.withVariable(column, input) { y in x.lexicographicallyPrecedes(y) ? -1 : (x.elementsEqual(y) ? 0 : 1) }
            }
        case .float64:
            let x = a.float64(column, input), y = b.float64(column, input)
            return x < y ? -1 : (x == y ? 0 : 1)
        case .int64, .bool:
            let x = a.int64(column, input), y = b.int64(column, input)
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }
}

/// One partition's candidates for a `TopNRanker`.
public struct TopNPartitionState: Sendable, Equatable {
    public var rows: [Row] = []
    /// The latest event time among its rows.
    public var time: Int64?
    /// Whether the current candidates were ranked and emitted.
    public var emitted = false

    public init() {}
}
