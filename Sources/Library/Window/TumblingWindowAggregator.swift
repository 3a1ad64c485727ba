import SluiceEngine

/// Keyed tumbling event-time windows with count, sum, min, max and avg (Flink's window
/// aggregate, `TUMBLE` in SQL): the pure logic, no I/O, tested against a brute-force reference.
///
/// A row with event time `t` belongs to `[t - t mod size, … + size)`. A window fires once the
/// watermark reaches its last millisecond (`end - 1`) and emits one row: the key columns,
/// `window_start`, `window_end` and the aggregates. It stays open `allowedLateness` longer: a
/// row arriving then updates it and it fires again (the sink upserts on key + window). A row
/// whose window is past `end - 1 + allowedLateness` is late: the caller routes it to the late
/// side output — never dropped silently. NULL inputs are ignored, as in SQL.
///
/// Built once per subtask from the input schema and the spec's parameters; the per-key state is
/// a `WindowKeyState` the caller keeps (in memory, or in keyed state for checkpoints).
public struct TumblingWindowAggregator: Sendable {
    struct Aggregate: Sendable {
        var spec: AggregateSpec
        var column: Int?
        var inputType: ColumnType?
        var outputType: ColumnType
    }

    public enum AddOutcome: Sendable, Equatable {
        case added
        /// The row's window is closed (past its allowed lateness).
        case late(windowEnd: Int64)
    }

    public let size: Int64
    public let allowedLateness: Int64
    public let input: RowLayout
    public let output: RowLayout
    public let keyColumns: [Int]
    let timeColumn: Int
    let aggregates: [Aggregate]

    /// Checks the parameters against `input` and derives the output schema; the errors are what
    /// submission reports for the kind (`SchemaRuleError` names the parameter).
    public init(input schema: Schema, keyBy: [String], sizeMillis: Int64, allowedLatenessMillis: Int64,
                aggregates specs: [AggregateSpec], outputName: String = "window") throws(SchemaRuleError) {
        guard sizeMillis > 0 else { throw SchemaRuleError("params.size-ms", "must be positive") }
        guard let eventTime = schema.eventTime, let timeColumn = schema.index(of: eventTime) else {
            throw SchemaRuleError("inputs[0]", "has no event-time column; a window needs one")
        }
        var keyColumns: [Int] = []
        var outputColumns: [Column] = []
        for name in keyBy {
            guard let index = schema.index(of: name) else { throw SchemaRuleError("key-by", "no column '\(name)' in the input") }
            guard name != "window_start" && name != "window_end" else {
                throw SchemaRuleError("key-by", "'\(name)' is a column the window adds; project it to another name before this window")
            }
            keyColumns.append(index)
            outputColumns.append(schema.columns[index])
        }
        outputColumns.append(Column("window_start", .timestamp))
        outputColumns.append(Column("window_end", .timestamp))
        var aggregates: [Aggregate] = []
        for spec in specs {
            guard !outputColumns.contains(where: { $0.name == spec.name }) else {
                throw SchemaRuleError("params.aggregates", "output column '\(spec.name)' is named twice")
            }
            let aggregate = try Self.resolve(spec, in: schema)
            aggregates.append(aggregate)
            let nullable = aggregate.column.map { schema.columns[$0].nullable } ?? false
            outputColumns.append(Column(spec.name, aggregate.outputType, nullable: spec.function != .count && nullable))
        }
        self.size = sizeMillis
        self.allowedLateness = allowedLatenessMillis
        self.input = RowLayout(schema)
        self.output = RowLayout(Schema(name: outputName, columns: outputColumns, eventTime: "window_end"))
        self.keyColumns = keyColumns
        self.timeColumn = timeColumn
        self.aggregates = aggregates
    }

    private static func resolve(_ spec: AggregateSpec, in schema: Schema) throws(SchemaRuleError) -> Aggregate {
        guard let name = spec.column else { return Aggregate(spec: spec, column: nil, inputType: nil, outputType: .int64) }
        guard let index = schema.index(of: name) else {
            throw SchemaRuleError("params.aggregates", "\(spec): no column '\(name)' in the input; it has \(schema.columnNames.joined(separator: ", "))")
        }
        let type = schema.columns[index].type
        let exact = Decimal64.maxPrecision
        func refuse(_ takes: String) -> SchemaRuleError {
            SchemaRuleError("params.aggregates", "\(spec): cannot \(spec.function.rawValue) column \(schema.columns[index]); it takes \(takes) columns")
        }
        let output: ColumnType
        switch (spec.function, type) {
        case (.count, _): output = .int64
        case (.sum, .int64), (.sum, .float64): output = type
        case (.sum, .decimal(let precision, let scale)) where precision <= exact: output = .decimal(precision: exact, scale: scale)
        case (.sum, _): throw refuse("int64, float64 or decimal(p≤18,s)")
        case (.min, .int64), (.min, .float64), (.min, .timestamp), (.max, .int64), (.max, .float64), (.max, .timestamp): output = type
        case (.min, .decimal(let precision, _)) where precision <= exact: output = type
        case (.max, .decimal(let precision, _)) where precision <= exact: output = type
        case (.min, _), (.max, _): throw refuse("int64, float64, timestamp or decimal(p≤18,s)")
        case (.avg, .int64), (.avg, .float64): output = .float64
        case (.avg, .decimal(let precision, _)) where precision <= exact: output = .float64
        case (.avg, _): throw refuse("int64, float64 or decimal(p≤18,s)")
        }
        return Aggregate(spec: spec, column: index, inputType: type, outputType: output)
    }

    /// The start of the window holding `time` (floor, also for times before the epoch).
    public func windowStart(_ time: Int64) -> Int64 {
        let remainder = time % size
        return time - (remainder < 0 ? remainder + size : remainder)
    }

    /// Adds `row` to its window in `state`, unless that window closed at `watermark`.
    public func add(_ row: Row, to state: inout WindowKeyState, watermark: Int64) throws(WindowAggregateError) -> AddOutcome {
        let time = row.int64(timeColumn, input)
        let start = windowStart(time)
        let end = start + size
        if watermark != .min, end - 1 + allowedLateness <= watermark { return .late(windowEnd: end) }
        let index: Int
        if let found = state.windows.firstIndex(where: { $0.start == start }) {
            index = found
        } else {
            index = state.windows.firstIndex { $0.start > start } ?? state.windows.endIndex
            state.windows.insert(WindowAccumulator(start: start, aggregates: aggregates.count), at: index)
        }
        for (slot, aggregate) in aggregates.enumerated() {
            try accumulate(aggregate, row, into: &state.windows[index], slot: slot)
        }
        state.windows[index].emitted = false
        return .added
    }

    private func accumulate(_ aggregate: Aggregate, _ row: Row, into window: inout WindowAccumulator, slot: Int) throws(WindowAggregateError) {
        guard let column = aggregate.column else {
            window.values[slot] &+= 1
            window.counts[slot] += 1
            return
        }
        if row.isNull(column) { return }
        let first = window.counts[slot] == 0
        window.counts[slot] += 1
        let current = window.values[slot]
        switch (aggregate.spec.function, aggregate.inputType) {
        case (.count, _):
            window.values[slot] = current &+ 1
        case (.sum, .float64?), (.avg, .float64?):
            window.values[slot] = (Double(bitPattern: current) + row.float64(column, input)).bitPattern
        case (.avg, .int64?):
            window.values[slot] = (Double(bitPattern: current) + Double(row.int64(column, input))).bitPattern
        case (.avg, .decimal(_, let scale)?):
            let value = Double(row.int64(column, input)) / pow10(scale)
            window.values[slot] = (Double(bitPattern: current) + value).bitPattern
        case (.avg, _):
            preconditionFailure("avg over \(String(describing: aggregate.inputType)) passed resolve")
        case (.sum, _):
            let (sum, overflow) = Int64(bitPattern: current).addingReportingOverflow(row.int64(column, input))
            guard !overflow, aggregate.fitsOutput(sum) else { throw .overflow(aggregate.spec.description) }
            window.values[slot] = UInt64(bitPattern: sum)
        case (.min, .float64?), (.max, .float64?):
            let value = row.float64(column, input), old = Double(bitPattern: current)
            let keep = first || (aggregate.spec.function == .min ? value < old : value > old)
            if keep { window.values[slot] = value.bitPattern }
        case (.min, _), (.max, _):
            let value = row.int64(column, input), old = Int64(bitPattern: current)
            let keep = first || (aggregate.spec.function == .min ? value < old : value > old)
            if keep { window.values[slot] = UInt64(bitPattern: value) }
        }
    }

    /// Emits every window of `state` due at `watermark` that changed since it last fired, and
    /// drops windows past their allowed lateness. `key` is any input row of this key (its key
    /// columns are copied into the result).
    public func fire(_ state: inout WindowKeyState, key: Row, watermark: Int64, emit: (Row) throws -> Void) throws {
        var builder = RowBuilder(output)
        for index in state.windows.indices where !state.windows[index].emitted && state.windows[index].start + size - 1 <= watermark {
            let window = state.windows[index]
            for (position, column) in keyColumns.enumerated() { builder.copy(position, from: key, column: column, layout: input) }
            builder.setInt64(keyColumns.count, window.start)
            builder.setInt64(keyColumns.count + 1, window.start + size)
            for (slot, aggregate) in aggregates.enumerated() {
                let target = keyColumns.count + 2 + slot
                set(aggregate, window, slot: slot, into: &builder, column: target)
            }
            try emit(try builder.finish())
            state.windows[index].emitted = true
        }
        state.windows.removeAll { $0.start + size - 1 + allowedLateness <= watermark }
    }

    private func set(_ aggregate: Aggregate, _ window: WindowAccumulator, slot: Int, into builder: inout RowBuilder, column: Int) {
        let value = window.values[slot]
        if aggregate.spec.function != .count && window.counts[slot] == 0 { return builder.setNull(column) }
        switch (aggregate.spec.function, aggregate.outputType) {
        case (.count, _): builder.setInt64(column, Int64(bitPattern: value))
        case (.avg, _): builder.setFloat64(column, Double(bitPattern: value) / Double(window.counts[slot]))
        case (_, .float64): builder.setFloat64(column, Double(bitPattern: value))
        default: builder.setInt64(column, Int64(bitPattern: value))
        }
    }

    /// When `state` next needs `fire`: the first unfired window's last millisecond, or the
    /// moment a fired window leaves its lateness; nil for an empty state.
    public func timer(_ state: WindowKeyState) -> Int64? {
        state.windows.map { $0.start + size - 1 + ($0.emitted ? allowedLateness : 0) }.min()
    }
}

extension TumblingWindowAggregator.Aggregate {
    /// A decimal sum must fit the 18 digits of its output column.
    func fitsOutput(_ sum: Int64) -> Bool {
        guard case .decimal = outputType else { return true }
        return sum.magnitude < 1_000_000_000_000_000_000
    }
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<exponent { result *= 10 }
    return result
}

/// A window aggregate that cannot be represented: fails the task with the aggregate named.
public enum WindowAggregateError: Error, Sendable, Equatable, CustomStringConvertible {
    case overflow(String)

    public var description: String {
        switch self {
        case .overflow(let aggregate): "\(aggregate) overflowed its 64-bit (18-digit for decimals) result"
        }
    }
}
