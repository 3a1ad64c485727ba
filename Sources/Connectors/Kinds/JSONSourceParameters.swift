import SluiceEngine

/// What a JSON source (`kafka-source`, `file-source`) reads, shared by both: either records of a
/// format a job registered (`format`), or rows of a schema declared in the spec (`schema`,
/// `event-time`, `fields`).
///
/// Built once per catalog from the registered formats, so `format`'s choices, its refusals and
/// the reference all list the same names.
public struct JSONSourceParameters: Sendable {
    public static let schema = ParameterDeclaration(
        "schema", .string, .optional,
        doc: "the rows to read, as a column list: `order_id string, amount decimal(10,2), note string?, at timestamp`")
    public static let eventTime = ParameterDeclaration(
        "event-time", .string, .optional, doc: "with schema: the timestamp column that is the rows' event time")
    public static let fields = ParameterDeclaration(
        "fields", .string, .optional,
        doc: "with schema: JSON field names that differ from the column names, e.g. `at=datetime_occured, id=order_id`")

    /// The name of `format` (declared only when some format is registered).
    public static let formatName = "format"

    public let formats: [RecordFormatDeclaration]
    /// `format`, present only when some format is registered.
    public let format: ParameterDeclaration?

    public init(formats: [RecordFormatDeclaration]) {
        self.formats = formats
        format = formats.isEmpty ? nil : ParameterDeclaration(
            Self.formatName, .choice(formats.map(\.name)), .optional,
            doc: "records of a format a job registered, read by that job's own rules (see output); or use schema instead",
            formerNames: ["event"])
    }

    public var all: [ParameterDeclaration] {
        (format.map { [$0] } ?? []) + [Self.schema, Self.eventTime, Self.fields]
    }

    /// The source's output schema from its parameters.
    func outputSchema(_ input: OperatorKindDeclaration.SchemaInputs) throws(SchemaRuleError) -> Schema {
        let params = input.params
        let either = format == nil ? "set schema (the columns to read) and event-time"
            : "set schema (the columns to read) and event-time, or format: \(formats.map(\.name).joined(separator: "/"))"
        switch (params[Self.formatName], params[Self.schema.name]) {
        case (nil, nil):
            throw SchemaRuleError("params.schema", either)
        case (_?, _?):
            throw SchemaRuleError("params.format", "set either format or schema, not both")
        case (let name?, nil):
            guard let declared = formats.first(where: { $0.name == name }) else {
                throw SchemaRuleError("params.format", "no record format '\(name)'; \(either)")
            }
            return declared.schema
        case (nil, let columns?):
            guard let time = params[Self.eventTime.name] else {
                throw SchemaRuleError("params.event-time", "name the timestamp column of the schema that is the rows' event time")
            }
            let declared: Schema
            do {
                declared = try Schema(columnList: columns, name: input.id, eventTime: time)
            } catch {
                throw SchemaRuleError(error.message.hasPrefix("event time") ? "params.event-time" : "params.schema", error.message)
            }
            _ = try Self.renames(params, of: declared)
            return declared
        }
    }

    /// `fields` as column → JSON field name; refuses columns the schema lacks.
    public static func renames(_ params: [String: String], of schema: Schema) throws(SchemaRuleError) -> [String: String] {
        try ColumnRenames.parse(params[fields.name], of: schema, field: "params.fields", target: "json_field")
    }

    var outputDoc: String {
        let byFormat = formats.map { "`\($0.schema)` for `format: \($0.name)` (\($0.summary))" }
        return (["the `schema` columns (event time: `event-time`)"] + byFormat).joined(separator: "; or ")
            + ". Malformed records go to `commerce.dead_letters`"
    }
}
