import SluiceEngine

/// `project`: keeps, orders and renames columns.
public enum ProjectKind {
    public static let columns = ParameterDeclaration(
        "columns", .string, .required,
        doc: "the output columns, comma-separated, each `column` or `column as name`; the event-time column must stay")

    public static let declaration = OperatorKindDeclaration(
        name: "project", role: .operator,
        summary: "Keeps the listed columns, in that order, renamed where asked.",
        parameters: [columns],
        inputs: [.init("rows", doc: "any schema")],
        output: "the listed columns with their input types",
        schemaRule: { (input) throws(SchemaRuleError) in
            return try RowProjection(input.params[columns.name] ?? "", schema: input.inputs[0], name: input.id).output.schema
        })
}
