import SluiceEngine

/// `postgres-sink`: attributed checkouts into a PostgreSQL table, exactly once through
/// two-phase commit per checkpoint (or at-least-once upserts without checkpoints).
public enum PostgresSinkKind {
    public static let defaultTable = "commerce.attributed_checkouts"

    public static let postgres = ParameterDeclaration(
        "postgres", .string, .optional, doc: "libpq connection URL; unset: the TaskManager's postgres.url(-file)")
    public static let table = ParameterDeclaration("table", .string, .defaulted(defaultTable), doc: "the target table, schema-qualified")
    public static let batchSize = ParameterDeclaration("batch-size", .integer(1...5_000), .defaulted("500"), doc: "rows per statement")
    public static let flushIntervalMs = ParameterDeclaration(
        "flush-interval-ms", .integer(1...60_000), .defaulted("200"), doc: "a partial batch is written after this long")
    public static let maxRowsPerSecond = ParameterDeclaration(
        "max-rows-per-second", .integer(0...10_000_000), .defaulted("0"),
        doc: "write-rate limit per subtask (back-pressure slows the sources); 0 = none")
    public static let delivery = ParameterDeclaration(
        "delivery", .choice(["exactly-once", "at-least-once"]), .optional,
        doc: "unset: exactly-once when the job checkpoints, else at-least-once; exactly-once without checkpoints is refused")
    public static let lockTimeoutMs = ParameterDeclaration(
        "lock-timeout-ms", .integer(1...3_600_000), .defaulted("120000"),
        doc: "longest wait for a row lock held by another transaction before the epoch fails")
    public static let insertRedoRows = ParameterDeclaration(
        "insert-redo-rows", .integer(0...1_000_000), .defaulted("10000"),
        doc: "rows kept to redo as upserts when a COPY meets an existing row; 0 = always upsert")

    public static let declaration = OperatorKindDeclaration(
        name: "postgres-sink", role: .sink,
        summary: "Writes enriched attributed checkouts to a PostgreSQL table: exactly once (two-phase commit per checkpoint) "
            + "or at-least-once idempotent upserts.",
        parameters: [postgres, table, batchSize, flushIntervalMs, maxRowsPerSecond, delivery, lockTimeoutMs, insertRedoRows],
        inputs: [.init("rows", doc: "`\(AttributionSchemas.enriched)` (the output of user-enrichment), or the output of "
                           + "first-click-attribution without `user_name` (written as NULL)")],
        output: "none (a sink); one row per checkout_id in the table",
        metrics: [.init("rows_written", doc: "rows handed to PostgreSQL")],
        schemaRule: { (input) throws(SchemaRuleError) in
            if input.inputs[0] == AttributionSchemas.attributed { return nil }
            try AttributionSchemas.require(AttributionSchemas.enriched, on: 0, of: input.inputs,
                                           wiring: "Wire it after a user-enrichment (or first-click-attribution) operator.")
            return nil
        })
}
