import SluiceEngine

/// `filter`: keeps the rows a condition holds for.
public enum FilterKind {
    public static let condition = ParameterDeclaration(
        "where", .string, .required,
        doc: "`column op value` joined by and/or: =, !=, <, <=, >, >=, is null, is not null; text in quotes, e.g. "
            + "`total_amount >= 100 and payment_method = 'card'`")

    public static let declaration = OperatorKindDeclaration(
        name: "filter", role: .operator,
        summary: "Keeps the rows for which `where` holds (a comparison with NULL is false); the others are counted and dropped on purpose.",
        parameters: [condition],
        inputs: [.init("rows", doc: "any schema")],
        output: "the input schema",
        metrics: [.init("passed", doc: "rows kept"), .init("filtered", doc: "rows the condition removed")],
        schemaRule: { (input) throws(SchemaRuleError) in
            _ = try RowPredicate(input.params[condition.name] ?? "", schema: input.inputs[0])
            return input.inputs[0]
        })
}
