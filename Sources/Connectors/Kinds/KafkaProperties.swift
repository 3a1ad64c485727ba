import SluiceEngine

/// The `properties` parameter of the Kafka kinds: librdkafka settings Sluice does not set
/// itself, e.g. what a real cluster needs (`security.protocol=SASL_SSL; sasl.mechanisms=PLAIN;
/// sasl.username=…`) or diagnostics (`debug=fetch`). One parser for both kinds; librdkafka
/// checks the keys and values when the client is created (an unknown key fails the task with
/// librdkafka's message).
public enum KafkaProperties {
    public static let parameter = ParameterDeclaration(
        "properties", .string, .optional,
        doc: "more librdkafka properties, `key=value` separated by `;`, e.g. `security.protocol=SASL_SSL; sasl.mechanisms=PLAIN`")

    /// Keys a parameter of the kind already sets: named with the parameter to use instead.
    static let owned = ["bootstrap.servers": "params.bootstrap", "group.id": "params.group-id",
                        "enable.auto.commit": "params.commit-offsets (offsets are committed at checkpoints)",
                        "compression.type": "params.compression", "linger.ms": "params.linger-ms"]

    public static func parse(_ text: String?) throws(SchemaRuleError) -> [String: String] {
        var properties: [String: String] = [:]
        for entry in (text ?? "").split(separator: ";") {
            let trimmed = Self.trimmed(entry)
            guard !trimmed.isEmpty else { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw SchemaRuleError("params.properties", "'\(trimmed)' is not key=value; separate properties with ';'")
            }
            let key = Self.trimmed(trimmed[..<equals])
            let value = Self.trimmed(trimmed[trimmed.index(after: equals)...])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }) else {
                throw SchemaRuleError("params.properties", "'\(key)' is not a librdkafka property name")
            }
            if let instead = owned[key] { throw SchemaRuleError("params.properties", "\(key) is set by \(instead)") }
            guard properties[key] == nil else { throw SchemaRuleError("params.properties", "\(key) is given twice") }
            properties[key] = value
        }
        return properties
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
