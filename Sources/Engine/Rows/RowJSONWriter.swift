/// Writes a row as a JSON object with its schema's column names, appending UTF-8 bytes to a
/// caller's buffer: the `kafka-sink`'s value format, and (through `RowJSONText`) the text of
/// late-row and error records.
///
/// Timestamps as epoch milliseconds, decimals as exact text, bytes as lowercase hex, NULL as
/// `null`; strings escaped as RFC 8259 requires (quote, backslash, control characters).
/// Integers, strings and bytes are written without building a `String`, so a sink that reuses
/// its buffer allocates nothing per row for them.
public enum RowJSONWriter {
    /// Appends `row` (of `layout`) to `out`; `columns` limits and orders the columns written
    /// (nil: all, in schema order).
    public static func write(_ row: Row, _ layout: RowLayout, columns: [Int]? = nil, into out: inout [UInt8]) {
        let schema = layout.schema
        out.append(UInt8(ascii: "{"))
        var first = true
        for index in columns ?? Array(schema.columns.indices) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            let column = schema.columns[index]
            JSONBytes.appendQuoted(column.name.utf8, into: &out)
            out.append(UInt8(ascii: ":"))
            if row.isNull(index) {
                out.append(contentsOf: "null".utf8)
                continue
            }
            switch column.type {
            case .int64, .timestamp:
                JSONBytes.appendInteger(row.int64(index, layout), into: &out)
            case .float64:
                let value = row.float64(index, layout)
                if value.isFinite { out.append(contentsOf: "\(value)".utf8) } else { JSONBytes.appendQuoted("\(value)".utf8, into: &out) }
            case .bool:
                out.append(contentsOf: row.bool(index, layout) ? "true".utf8 : "false".utf8)
            case .decimal(let precision, _) where precision <= Decimal64.maxPrecision:
                out.append(contentsOf: row.decimal(index, layout).description.utf8)
            case .decimal:
                row.withVariable(index, layout) { out.append(contentsOf: $0) }
            case .string:
                row.withVariable(index, layout) { JSONBytes.appendQuoted($0, into: &out) }
            case .bytes:
                row.withVariable(index, layout) { bytes in
                    out.append(UInt8(ascii: "\""))
                    for byte in bytes {
                        out.append(JSONBytes.hexDigits[Int(byte >> 4)])
                        out.append(JSONBytes.hexDigits[Int(byte & 15)])
                    }
                    out.append(UInt8(ascii: "\""))
                }
            }
        }
        out.append(UInt8(ascii: "}"))
    }
}
