import SluiceEngine

/// `user-enrichment`: adds the buyer's name as of the checkout time, from the SCD2 history
/// `commerce.users_history` (batched, cached lookups; an unknown user gets NULL and is counted).
public enum UserEnrichmentKind {
    public static let postgres = ParameterDeclaration(
        "postgres", .string, .optional, doc: "libpq connection URL; unset: the TaskManager's postgres.url(-file)")
    public static let cacheSize = ParameterDeclaration(
        "cache-size", .integer(1...10_000_000), .defaulted("100000"), doc: "users' histories kept in memory per subtask")
    public static let batchSize = ParameterDeclaration(
        "batch-size", .integer(1...10_000), .defaulted("500"), doc: "checkouts whose users are looked up in one query")

    public static let declaration = OperatorKindDeclaration(
        name: "user-enrichment", role: .operator,
        summary: "Adds user_name as of the checkout time from commerce.users_history (SCD2); an unknown user gets NULL, counted.",
        parameters: [postgres, cacheSize, batchSize],
        inputs: [.init("checkouts", doc: "`\(AttributionSchemas.attributed)` (the output of first-click-attribution)")],
        output: "the input plus `user_name string?`",
        metrics: [.init("cache_hits", doc: "lookups answered from memory"),
                  .init("cache_misses", doc: "lookups that went to PostgreSQL"),
                  .init("unknown_users", doc: "checkouts of a user with no version at checkout time")],
        schemaRule: { (input) throws(SchemaRuleError) in
            try AttributionSchemas.require(AttributionSchemas.attributed, on: 0, of: input.inputs,
                                           wiring: "Wire it after a first-click-attribution operator.")
            return AttributionSchemas.enriched
        })
}
