import SluiceEngine

/// `file-sink`: rows as JSON lines into part files of a directory, exactly once with checkpoints.
public enum FileSinkKind {
    public static let path = ParameterDeclaration(
        "path", .string, .required, doc: "the directory the part files go into (created if missing), on each TaskManager's file system")
    public static let prefix = ParameterDeclaration(
        "prefix", .string, .defaulted("part"), doc: "part file names: <prefix>-<job>-<attempt>-<subtask>-<n>.jsonl")
    public static let rollBytes = ParameterDeclaration(
        "roll-bytes", .integer(1_024...(1 << 40)), .defaulted("134217728"),
        doc: "without checkpoints, a part file is completed once it holds this many bytes")

    public static let declaration = OperatorKindDeclaration(
        name: "file-sink", role: .sink,
        summary: "Writes rows as JSON lines (as kafka-sink's records) into part files. With checkpoints exactly once: a part "
            + "is written as a hidden in-progress file, closed at each checkpoint and renamed to its final name when the "
            + "checkpoint completes; files of a failed attempt are discarded (their rows are written again).",
        parameters: [path, prefix, rollBytes],
        inputs: [.init("rows", doc: "any schema of rows")],
        output: "none (a sink); `<prefix>-….jsonl` files, one JSON object per line",
        metrics: [.init("rows_written", doc: "rows written into part files"),
                  .init("parts_committed", doc: "part files given their final name")],
        schemaRule: { (input) throws(SchemaRuleError) in
            let schema = input.inputs[0]
            if input.params[prefix.name]?.contains("/") == true {
                throw SchemaRuleError("params.prefix", "a file name prefix cannot contain '/'; put directories into params.path")
            }
            return nil
        })
}
