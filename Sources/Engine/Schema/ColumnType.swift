/// The type of a column: what a row holds in that column's slot.
///
/// The set is small on purpose (it is what the binary row format, the JSON decoders and the
/// PostgreSQL sink agree on). `timestamp` is milliseconds since the epoch, UTC.
public enum ColumnType: Sendable, Hashable, CustomStringConvertible {
    case int64
    case float64
    /// Exact decimal with `precision` digits, `scale` of them after the point.
    case decimal(precision: Int, scale: Int)
    case string
    case bool
    /// Milliseconds since the epoch, UTC.
    case timestamp
    case bytes

    /// The names a spec may write (`decimal` takes `(p,s)`).
    public static let names = ["int64", "float64", "decimal(p,s)", "string", "bool", "timestamp", "bytes"]

    /// Parses a type as a spec writes it: `int64`, `decimal(12,2)`, `timestamp`, …
    public init?(parsing text: String) {
        let compact = text.lowercased().filter { !$0.isWhitespace }
        switch compact {
        case "int64": self = .int64
        case "float64": self = .float64
        case "string": self = .string
        case "bool": self = .bool
        case "timestamp": self = .timestamp
        case "bytes": self = .bytes
        default:
            guard compact.hasPrefix("decimal("), compact.hasSuffix(")") else { return nil }
            let digits = compact.dropFirst("decimal(".count).dropLast().split(separator: ",", omittingEmptySubsequences: false)
            guard digits.count == 2, let precision = Int(digits[0]), let scale = Int(digits[1]),
                  (1...38).contains(precision), (0...precision).contains(scale) else { return nil }
            self = .decimal(precision: precision, scale: scale)
        }
    }

    public var description: String {
        switch self {
        case .int64: "int64"
        case .float64: "float64"
        case .decimal(let precision, let scale): "decimal(\(precision),\(scale))"
        case .string: "string"
        case .bool: "bool"
        case .timestamp: "timestamp"
        case .bytes: "bytes"
        }
    }

    /// Whether sums and averages are defined over it.
    public var isNumeric: Bool {
        switch self {
        case .int64, .float64, .decimal: true
        case .string, .bool, .timestamp, .bytes: false
        }
    }

    /// Whether `min`/`max` and ordering are defined over it.
    public var isOrdered: Bool {
        switch self {
        case .int64, .float64, .decimal, .string, .timestamp: true
        case .bool, .bytes: false
        }
    }
}
