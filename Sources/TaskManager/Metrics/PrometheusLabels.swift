/// Label sets in the Prometheus text exposition format, for the series the TaskManager renders
/// itself (`HistogramFamilies`); the registry's own series are escaped by swift-prometheus
/// (2.x escapes label values the same way).
///
/// Pure functions. Invariant: a rendered value can never end the quoted string early or break
/// the line — backslash, double quote and line feed are escaped as `\\`, `\"` and `\n`.
enum PrometheusLabels {
    /// `job="j1",vertex="sink"` (no braces); names are ours and already valid.
    static func render(_ labels: [(String, String)]) -> String {
        labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    /// A label value escaped per the exposition format.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count + 4)
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
