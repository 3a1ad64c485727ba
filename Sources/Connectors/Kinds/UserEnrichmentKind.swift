import SluiceEngine

/// `user-enrichment`: adds a user's name as of the row's event time, from the SCD2 history
/// `commerce.users_history` (batched, cached lookups; an unknown user gets NULL and is counted).
public enum UserEnrichmentKind {
    /// The input column holding the user's id.
    public static let userColumn = "user_id"
    /// The column the operator appends.
    public static let nameColumn = "user_name"

    /// What the operator emits for rows of `input`: the input plus `user_name string?`.
    public static func output(of input: Schema) -> Schema {
        input.appending([Column(nameColumn, .string, nullable: true)], name: "\(input.name) with \(nameColumn)")
    }

    public static let cacheHitRatio = MetricFamily(
        "sluice_user_cache_hit_ratio", .gauge,
        help: "Share of user lookups the enrichment cache answered since the subtask started (NaN before the first lookup).")

    public static let postgres = ParameterDeclaration(
        "postgres", .string, .optional, doc: "libpq connection URL; unset: the TaskManager's postgres.url(-file)")
    public static let cacheSize = ParameterDeclaration(
        "cache-size", .integer(1...10_000_000), .defaulted("100000"), doc: "users' histories kept in memory per subtask")
    public static let batchSize = ParameterDeclaration(
        "batch-size", .integer(1...10_000), .defaulted("500"), doc: "rows whose users are looked up in one query")

    public static let declaration = OperatorKindDeclaration(
        name: "user-enrichment", role: .operator,
        summary: "Adds user_name as of each row's event time from commerce.users_history (SCD2); an unknown user gets NULL, counted.",
        parameters: [postgres, cacheSize, batchSize],
        inputs: [.init("rows", doc: "any rows with `user_id int64` and an event time")],
        output: "the input plus `user_name string?`",
        metrics: [.init("cache_hits", doc: "lookups answered from memory"),
                  .init("cache_misses", doc: "lookups that went to PostgreSQL"),
                  .init("unknown_users", doc: "rows of a user with no version at the row's event time")],
        measures: [cacheHitRatio],
        schemaRule: { (input) throws(SchemaRuleError) in
            let schema = input.inputs[0]
            guard let user = schema.column(userColumn), user.type == .int64 else {
                throw SchemaRuleError("inputs[0]", "needs a column \(userColumn) int64 to look users up by; the input has \(schema)")
            }
            guard schema.eventTime != nil else {
                throw SchemaRuleError("inputs[0]", "needs rows with an event time (the name is looked up as of it); the input has none")
            }
            guard schema.column(nameColumn) == nil else {
                throw SchemaRuleError("inputs[0]", "already has a column \(nameColumn); project it away or rename it first")
            }
            return output(of: schema)
        })
}
