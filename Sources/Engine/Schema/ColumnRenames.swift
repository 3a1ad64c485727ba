/// A `name=other, …` parameter mapping columns of a schema to names outside it (JSON fields a
/// source reads, table columns a sink writes).
public enum ColumnRenames {
    /// The mapping in `text` (nil or empty: none); refuses items that are not `column=name` and
    /// columns `schema` lacks, naming `field` (the parameter) in the error.
    public static func parse(_ text: String?, of schema: Schema, field: String, target: String) throws(SchemaRuleError) -> [String: String] {
        var renames: [String: String] = [:]
        for item in (text ?? "").split(separator: ",") {
            let parts = item.split(separator: "=").map { $0.filter { !$0.isWhitespace } }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw SchemaRuleError(field, "'\(item)' is not column=\(target)")
            }
            guard schema.column(parts[0]) != nil else {
                throw SchemaRuleError(field, "no column '\(parts[0])' in \(schema.name); it has \(schema.columnNames.joined(separator: ", "))")
            }
            renames[parts[0]] = parts[1]
        }
        return renames
    }
}

/// A `a, b, c` parameter naming columns (a sink's key, Top-N's `unique-by`).
public enum ColumnNames {
    /// The names in `text`, blanks dropped; empty for nil.
    public static func parse(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
    }
}
