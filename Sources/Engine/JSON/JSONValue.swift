/// One JSON value as the scanner found it, pointing into the record's bytes.
///
/// Strings and numbers are kept as undecoded byte slices, so fields the decoder ignores cost no
/// allocation; nested objects and arrays are validated and skipped, never materialised. The
/// slices are only valid while the record's buffer is (inside the decoder's `decode` call).
public enum JSONValue {
    case string(JSONStringToken)
    /// The number's exact text, already checked against the JSON number grammar.
    case number(JSONNumberToken)
    case bool(Bool)
    case null
    case object
    case array

    /// How a dead-letter reason names this value: its JSON type, plus a short prefix of its
    /// text for scalars (the producer fixing the bug wants to see what it sent).
    public var summary: String {
        switch self {
        case .string(let token): return "string '\(JSONValue.snippet(token.raw))'"
        case .number(let token): return "number \(JSONValue.snippet(token.raw))"
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .object: return "an object"
        case .array: return "an array"
        }
    }

    /// At most `limit` bytes of `raw` as text, marked with "…" when cut.
    public static func snippet(_ raw: UnsafeRawBufferPointer, limit: Int = 40) -> String {
        guard raw.count > limit else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[..<limit]), as: UTF8.self) + "…"
    }
}
