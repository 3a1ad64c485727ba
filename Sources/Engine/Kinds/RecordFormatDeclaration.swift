/// A record format a job registers for the JSON sources (`format: <name>`): records read by the
/// job's own decoding rules rather than by a schema declared in the spec (for example a field
/// that may be an integer or a string of digits).
///
/// The declaration is what submission needs (the rows the format yields); the code that decodes
/// is a `RecordFormat`, registered with the operator factories. A value, freely shared.
public struct RecordFormatDeclaration: Sendable {
    public var name: String
    /// One line: what the records are and where their rules are written down.
    public var summary: String
    /// The rows the format yields, with their event time column.
    public var schema: Schema

    public init(name: String, summary: String, schema: Schema) {
        precondition(schema.eventTime != nil, "record format \(name) needs an event time column")
        self.name = name
        self.summary = summary
        self.schema = schema
    }
}
