import SluiceEngine

/// `top-n`: the best N rows per key (e.g. per window), ranked once the watermark passes them.
public enum TopNKind {
    public static let limit = ParameterDeclaration("limit", .integer(1...10_000), .required, doc: "rows kept per key")
    public static let orderBy = ParameterDeclaration(
        "order-by", .string, .required, doc: "a numeric or timestamp column, then asc or desc (default desc), e.g. `clicks desc`")
    public static let uniqueBy = ParameterDeclaration(
        "unique-by", .string, .optional,
        doc: "comma-separated columns identifying an item: a newer row of the same item replaces the older; also breaks ties")
    public static let rankColumn = ParameterDeclaration("rank-column", .string, .defaulted("rank"), doc: "the name of the appended rank")
    public static let allowedLatenessMs = ParameterDeclaration(
        "allowed-lateness-ms", .integer(0...(366 * 86_400_000)), .defaulted("0"),
        doc: "how long a ranked key still takes rows (and ranks again); later rows go to sluice.late_rows")

    public static func ranker(input: Schema, params: [String: String]) throws(SchemaRuleError) -> TopNRanker {
        let unique = ColumnNames.parse(params[uniqueBy.name])
        return try TopNRanker(input: input, orderBy: params[orderBy.name] ?? "", limit: Int(params[limit.name] ?? "") ?? 0,
                              uniqueBy: unique, allowedLatenessMillis: Int64(params[allowedLatenessMs.name] ?? "0") ?? 0,
                              rankColumn: params[rankColumn.name] ?? "rank")
    }

    public static let declaration = OperatorKindDeclaration(
        name: "top-n", role: .operator,
        summary: "Keeps the best `limit` rows per key by `order-by` and emits them with their rank once the watermark passes "
            + "the key's rows (again if a row within the allowed lateness changes the ranking).",
        parameters: [limit, orderBy, uniqueBy, rankColumn, allowedLatenessMs],
        inputs: [.init("rows", doc: "any schema with an event-time column (e.g. a tumbling-window's output)")],
        keying: .keyed(columns: nil),
        output: "the input columns plus `rank int64` (1 = best)",
        metrics: [.init("rankings", doc: "rankings emitted"), .init("late", doc: "rows behind their key's lateness")],
        schemaRule: { (input) throws(SchemaRuleError) in
            return try ranker(input: input.inputs[0], params: input.params).output.schema
        })
}
