/// The column list as a spec writes it in a source's `schema` parameter, like the column list
/// of SQL's `CREATE TABLE`: `order_id string, amount decimal(10,2), note string?, at timestamp`
/// (`?` marks a nullable column).
extension Schema {
    public init(columnList text: String, name: String, eventTime: String?) throws(SchemaError) {
        var columns: [Column] = []
        var depth = 0
        var current = ""
        var items: [String] = []
        for character in text {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                items.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        items.append(current)
        for item in items {
            let words = item.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            guard words.count >= 2 else {
                throw SchemaError("'\(item.trimmed)' is not 'name type'; e.g. 'amount decimal(10,2)' or 'note string?'")
            }
            var typeText = words.dropFirst().joined()
            let nullable = typeText.hasSuffix("?")
            if nullable { typeText.removeLast() }
            guard let type = ColumnType(parsing: typeText) else {
                throw SchemaError("column '\(words[0])': unknown type '\(typeText)'; types: \(ColumnType.names.joined(separator: ", "))")
            }
            columns.append(Column(String(words[0]), type, nullable: nullable))
        }
        try self.init(checking: name, columns: columns, eventTime: eventTime)
    }

    /// The column list in the form `init(columnList:)` reads.
    public var columnList: String { columns.map(\.description).joined(separator: ", ") }
}

extension String {
    fileprivate var trimmed: String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
