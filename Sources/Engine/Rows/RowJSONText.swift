/// A row as a JSON object with its schema's column names: for late-row and error records a
/// person reads, never on the hot path. Timestamps as epoch milliseconds, decimals as exact text,
/// bytes as lowercase hex.
public enum RowJSONText {
    public static func render(_ row: Row, _ layout: RowLayout) -> String {
        var out = "{"
        for (index, column) in layout.schema.columns.enumerated() {
            if index > 0 { out += "," }
            out += quoted(column.name) + ":"
            if row.isNull(index) {
                out += "null"
                continue
            }
            switch column.type {
            case .int64, .timestamp: out += String(row.int64(index, layout))
            case .float64:
                let value = row.float64(index, layout)
                out += value.isFinite ? "\(value)" : quoted("\(value)")
            case .bool: out += row.bool(index, layout) ? "true" : "false"
            case .decimal(let precision, _) where precision <= Decimal64.maxPrecision:
                out += row.decimal(index, layout).description
            case .decimal: out += row.string(index, layout)
            case .string: out += quoted(row.string(index, layout))
            case .bytes:
                out += quoted(row.withVariable(index, layout) { bytes in bytes.map { byte in
                    let digits = Array("0123456789abcdef")
                    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
                }.joined() })
            }
        }
        return out + "}"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
