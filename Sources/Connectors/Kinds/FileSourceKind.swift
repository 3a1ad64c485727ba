import SluiceEngine

/// `file-source`: JSON lines from a local file, always read to its end (a bounded job).
public enum FileSourceKind {
    public static let path = ParameterDeclaration("path", .string, .required,
                                                  doc: "the JSONL file, readable on every TaskManager; subtask i takes every p-th line")
    public static let bounded = ParameterDeclaration("bounded", .boolean, .defaulted("true"),
                                                     doc: "a file is always read to its end; only true is accepted")

    public static let name = "file-source"

    /// The kind, reading the record formats `formats` besides declared schemas.
    public static func declaration(formats: [RecordFormatDeclaration]) -> OperatorKindDeclaration {
        let json = JSONSourceParameters(formats: formats)
        return OperatorKindDeclaration(
            name: name, role: .source,
            summary: "Reads JSON lines from a file, then finishes (bounded); its position lives in checkpoints.",
            parameters: [path] + json.all + [bounded],
            output: json.outputDoc,
            metrics: [],
            schemaRule: { (input) throws(SchemaRuleError) in
                guard input.params[bounded.name] == "true" else {
                    throw SchemaRuleError("params.bounded", "a file source is always bounded; remove 'bounded: false'")
                }
                return try json.outputSchema(input)
            })
    }
}
