/// Why one input record could not be decoded into a row.
///
/// The record goes to `commerce.dead_letters` with `reason` and the job keeps running, so every
/// case says precisely what is wrong and where: an operator reading the table should be able to
/// fix the producer without re-running anything. Values quoted in a reason are cut to a short
/// prefix, so a hostile record cannot blow up the dead-letter row.
public enum RecordDecodingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The record is longer than the decoder's `maxRecordBytes`; it was not parsed at all.
    case oversized(size: Int, maximum: Int)
    /// The bytes are not one well-formed JSON object (`offset` is the 0-based byte position).
    case invalidJSON(offset: Int, detail: String)
    /// A required field is absent.
    case missingField(String)
    /// A field we read appears twice; which one the producer meant is ambiguous.
    case duplicateField(String)
    /// A field has a JSON type we do not accept (`found` describes what was there).
    case wrongType(field: String, expected: String, found: String)
    /// A field has the right type but an unusable value (bad timestamp, overflow, empty id…).
    case invalidValue(field: String, detail: String)

    /// The text stored in the dead-letter table.
    public var reason: String { description }

    public var description: String {
        switch self {
        case .oversized(let size, let maximum):
            return "record of \(size) bytes exceeds the maximum of \(maximum) bytes"
        case .invalidJSON(let offset, let detail):
            return "invalid JSON at byte \(offset): \(detail)"
        case .missingField(let field):
            return "missing field \(field)"
        case .duplicateField(let field):
            return "duplicate field \(field)"
        case .wrongType(let field, let expected, let found):
            return "field \(field): expected \(expected), got \(found)"
        case .invalidValue(let field, let detail):
            return "field \(field): \(detail)"
        }
    }

    /// A short, stable label for metrics (`reason="missing_field"`).
    public var metricLabel: String {
        switch self {
        case .oversized: "oversized"
        case .invalidJSON: "invalid_json"
        case .missingField: "missing_field"
        case .duplicateField: "duplicate_field"
        case .wrongType: "wrong_type"
        case .invalidValue: "invalid_value"
        }
    }
}
