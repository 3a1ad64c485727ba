import SluiceEngine

/// `tumbling-window`: keyed tumbling event-time windows with count, sum, min, max and avg.
public enum TumblingWindowKind {
    public static let sizeMs = ParameterDeclaration("size-ms", .integer(1...(366 * 86_400_000)), .required, doc: "window length")
    public static let allowedLatenessMs = ParameterDeclaration(
        "allowed-lateness-ms", .integer(0...(366 * 86_400_000)), .defaulted("0"),
        doc: "how long a fired window still takes late rows (and fires again); later rows go to sluice.late_rows")
    public static let aggregates = ParameterDeclaration(
        "aggregates", .string, .required,
        doc: "`name=function(column)`, comma-separated; functions count (`count(*)` counts rows), sum, min, max, avg")

    /// The aggregator a spec's parameters describe over `input` (shared by the schema rule and the operator).
    public static func aggregator(input: Schema, keyBy: [String], params: [String: String], name: String)
        throws(SchemaRuleError) -> TumblingWindowAggregator {
        let size = Int64(params[sizeMs.name] ?? "") ?? 0
        let lateness = Int64(params[allowedLatenessMs.name] ?? "0") ?? 0
        return try TumblingWindowAggregator(input: input, keyBy: keyBy, sizeMillis: size, allowedLatenessMillis: lateness,
                                            aggregates: try AggregateSpec.parseList(params[aggregates.name] ?? ""), outputName: name)
    }

    public static let declaration = OperatorKindDeclaration(
        name: "tumbling-window", role: .operator,
        summary: "Aggregates rows per key in tumbling event-time windows; emits one row per key and window when the "
            + "watermark passes the window's end (again when a late row within the allowed lateness changes it).",
        parameters: [sizeMs, allowedLatenessMs, aggregates],
        inputs: [.init("rows", doc: "any schema with an event-time column; the key-by columns and the aggregated columns")],
        keying: .keyed(columns: nil),
        output: "the key-by columns, `window_start timestamp`, `window_end timestamp` (the event time), then each aggregate: "
            + "count int64; sum of int64/float64 the same type, of decimal(p,s) decimal(18,s); min/max the column's type; avg float64",
        metrics: [.init("windows_fired", doc: "window results emitted"), .init("late", doc: "rows behind their window's lateness")],
        schemaRule: { (input) throws(SchemaRuleError) in
            return try aggregator(input: input.inputs[0], keyBy: input.keyBy, params: input.params, name: input.id).output.schema
        })
}
