import SluiceCore
import SluiceEngine

/// Which columns a `project` keeps, in which order and under which names, as a spec writes it:
/// `checkout_id, total_amount as amount, checkout_time`. The event-time column must stay (the
/// rows downstream need their event time); building a row copies the kept columns' slots and
/// bytes only.
public struct RowProjection: Sendable {
    public let input: RowLayout
    public let output: RowLayout
    /// For each output column, its input column.
    let sources: [Int]

    public init(_ text: String, schema: Schema, name: String) throws(SchemaRuleError) {
        var columns: [Column] = []
        var sources: [Int] = []
        var eventTime: String?
        for item in text.split(separator: ",") {
            let words = item.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count == 1 || (words.count == 3 && words[1].lowercased() == "as") else {
                throw SchemaRuleError("params.columns", "'\(item)' is not 'column' or 'column as name'")
            }
            guard let index = schema.index(of: words[0]) else {
                let hint = EditDistance.closest(to: words[0], among: schema.columnNames).map { " (did you mean '\($0)'?)" } ?? ""
                throw SchemaRuleError("params.columns", "no column '\(words[0])'\(hint); the input has \(schema.columnNames.joined(separator: ", "))")
            }
            var column = schema.columns[index]
            column.name = words.count == 3 ? words[2] : words[0]
            guard !columns.contains(where: { $0.name == column.name }) else {
                throw SchemaRuleError("params.columns", "the output names '\(column.name)' twice")
            }
            if words[0] == schema.eventTime { eventTime = column.name }
            columns.append(column)
            sources.append(index)
        }
        guard let eventTime else {
            throw SchemaRuleError("params.columns", "keep the event-time column \(schema.eventTime ?? "(none)"): rows downstream need their event time")
        }
        input = RowLayout(schema)
        output = RowLayout(Schema(name: name, columns: columns, eventTime: eventTime))
        self.sources = sources
    }

    /// `row` with the kept columns.
    public func apply(_ row: Row, into builder: inout RowBuilder) throws(RowFormatError) -> Row {
        for (target, source) in sources.enumerated() { builder.copy(target, from: row, column: source, layout: input) }
        return try builder.finish()
    }
}
