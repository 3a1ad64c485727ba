import SluiceEngine

/// `postgres-sink`: rows into a PostgreSQL table, upserted on a key, exactly once through
/// two-phase commit per checkpoint (or at-least-once upserts without checkpoints).
public enum PostgresSinkKind {
    public static let postgres = ParameterDeclaration(
        "postgres", .string, .optional, doc: "libpq connection URL; unset: the TaskManager's postgres.url(-file)")
    public static let table = ParameterDeclaration(
        "table", .string, .optional, doc: "the target table, schema-qualified (required)")
    public static let key = ParameterDeclaration(
        "key", .string, .optional,
        doc: "the comma-separated columns of the table's primary key or unique index the sink upserts on (required)")
    public static let columns = ParameterDeclaration(
        "columns", .string, .optional,
        doc: "table column names that differ from the row's, e.g. `window_start=minute, n=checkouts`")
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
        "lock-timeout-ms", .integer(1...3_600_000), .defaulted("30000"),
        doc: "longest wait for a row lock held by another transaction (e.g. another job writing the same rows) before the "
            + "epoch fails; keep it below checkpoints.timeout-ms, or the wait only expires checkpoints first")
    public static let insertRedoRows = ParameterDeclaration(
        "insert-redo-rows", .integer(0...1_000_000), .defaulted("10000"),
        doc: "rows kept to redo as upserts when a COPY meets an existing row; 0 = always upsert")

    public static let batchRows = MetricFamily(
        "sluice_sink_batch_rows", .histogram,
        help: "Rows per committed sink batch: per epoch transaction (exactly-once) or per upsert batch (at-least-once).")
    public static let commitSeconds = MetricFamily(
        "sluice_sink_commit_seconds", .histogram,
        help: "Round trip of the sink's COMMIT PREPARED, final COMMIT, or autocommit upsert (at-least-once).")
    public static let preparedToCommitSeconds = MetricFamily(
        "sluice_sink_prepared_to_commit_seconds", .histogram,
        help: "Time from PREPARE TRANSACTION at a barrier to its COMMIT PREPARED after the checkpoint completed (exactly-once).")
    public static let endToEndLatency = MetricFamily(
        "sluice_end_to_end_latency_seconds", .histogram,
        help: "Commit wall time minus the row's event time, per committed row (includes the watermark delay; replays land in the top buckets).")

    public static let declaration = OperatorKindDeclaration(
        name: "postgres-sink", role: .sink,
        summary: "Writes rows into a PostgreSQL table, upserting on a key: exactly once (two-phase commit per checkpoint) "
            + "or at-least-once idempotent upserts. The table is checked against the rows when the job opens.",
        parameters: [postgres, table, key, columns, batchSize, flushIntervalMs, maxRowsPerSecond, delivery, lockTimeoutMs, insertRedoRows],
        inputs: [.init("rows", doc: "any schema; each column goes into the table column of its name (or its `columns` rename)")],
        output: "none (a sink); one row per key in the table",
        metrics: [.init("rows_written", doc: "rows handed to PostgreSQL")],
        measures: [batchRows, commitSeconds, preparedToCommitSeconds, endToEndLatency],
        schemaRule: { (input) throws(SchemaRuleError) in
            let schema = input.inputs[0]
            guard input.params[table.name] != nil else {
                throw SchemaRuleError("params.table", "name the table the rows of \(schema) go into")
            }
            let keyColumns = ColumnNames.parse(input.params[key.name])
            guard !keyColumns.isEmpty else {
                throw SchemaRuleError("params.key", "name the columns the sink upserts on (the table's primary key), e.g. key: \"\(schema.columnNames.prefix(2).joined(separator: ", "))\"")
            }
            for column in keyColumns where schema.column(column) == nil {
                throw SchemaRuleError("params.key", "no column '\(column)' in the input; it has \(schema.columnNames.joined(separator: ", "))")
            }
            _ = try renames(input.params[columns.name], of: schema)
            return nil
        },
        preview: { input in
            guard let schema = input.inputs.first, let table = input.params[PostgresSinkKind.table.name] else { return nil }
            let renamed = (try? renames(input.params[columns.name], of: schema)) ?? [:]
            return .init(table: table, orderBy: schema.eventTime.map { renamed[$0] ?? $0 }, postgresURL: input.params[postgres.name])
        })

    /// `columns` as row column → table column; refuses columns the rows lack.
    public static func renames(_ text: String?, of schema: Schema) throws(SchemaRuleError) -> [String: String] {
        try ColumnRenames.parse(text, of: schema, field: "params.columns", target: "table_column")
    }
}
