import SluiceEngine

/// What a JSON source (`kafka-source`, `file-source`) reads, shared by both: either one of the
/// attribution job's events (`event`), or rows of a schema declared in the spec (`schema`,
/// `event-time`, `fields`).
public enum JSONSourceParameters {
    public static let event = ParameterDeclaration(
        "event", .choice(["click", "checkout"]), .optional,
        doc: "the attribution job's records: click or checkout (DESIGN.md §7); or use schema instead")
    public static let schema = ParameterDeclaration(
        "schema", .string, .optional,
        doc: "the rows to read, as a column list: `order_id string, amount decimal(10,2), note string?, at timestamp`")
    public static let eventTime = ParameterDeclaration(
        "event-time", .string, .optional, doc: "with schema: the timestamp column that is the rows' event time")
    public static let fields = ParameterDeclaration(
        "fields", .string, .optional,
        doc: "with schema: JSON field names that differ from the column names, e.g. `at=datetime_occured, id=order_id`")

    public static let all = [event, schema, eventTime, fields]

    /// The source's output schema from its parameters.
    static func outputSchema(_ input: OperatorKindDeclaration.SchemaInputs) throws(SchemaRuleError) -> Schema {
        let params = input.params
        switch (params[event.name], params[schema.name]) {
        case (nil, nil):
            throw SchemaRuleError("params.schema", "set schema (the columns to read) and event-time, or event: click/checkout")
        case (_?, _?):
            throw SchemaRuleError("params.event", "set either event or schema, not both")
        case ("click", nil):
            return AttributionSchemas.click
        case ("checkout", nil):
            return AttributionSchemas.checkout
        case (let other?, nil):
            throw SchemaRuleError("params.event", "must be click or checkout, got '\(other)'")
        case (nil, let columns?):
            guard let time = params[eventTime.name] else {
                throw SchemaRuleError("params.event-time", "name the timestamp column of the schema that is the rows' event time")
            }
            let declared: Schema
            do {
                declared = try Schema(columnList: columns, name: input.id, eventTime: time)
            } catch {
                throw SchemaRuleError(error.message.hasPrefix("event time") ? "params.event-time" : "params.schema", error.message)
            }
            _ = try renames(params, of: declared)
            return declared
        }
    }

    /// `fields` as column → JSON field name; refuses columns the schema lacks.
    public static func renames(_ params: [String: String], of schema: Schema) throws(SchemaRuleError) -> [String: String] {
        try ColumnRenames.parse(params[fields.name], of: schema, field: "params.fields", target: "json_field")
    }

    static let outputDoc = "the `schema` columns (event time: `event-time`); or `\(AttributionSchemas.click)` for `event: click`, "
        + "`\(AttributionSchemas.checkout)` for `event: checkout` (event time from `datetime_occured`). "
        + "Malformed records go to `commerce.dead_letters`"
}
