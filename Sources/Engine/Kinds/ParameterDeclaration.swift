/// One parameter of an operator kind: its name, type, default and one-line documentation.
///
/// Declared once per kind (`OperatorKindDeclaration.parameters`); the spec parser validates
/// against it, `sluice kinds` and the README's operator reference print it, and operators read
/// their value through it (`OperatorContext.value(_:)`), so the default and range live here only.
public struct ParameterDeclaration: Sendable, Equatable {
    public enum ValueType: Sendable, Equatable, CustomStringConvertible {
        case string
        case integer(ClosedRange<Int>)
        case boolean
        /// One of a fixed set of words.
        case choice([String])

        public var description: String {
            switch self {
            case .string: "string"
            case .integer(let range): "integer \(range.lowerBound)…\(range.upperBound)"
            case .boolean: "boolean"
            case .choice(let words): words.joined(separator: " / ")
            }
        }
    }

    public enum Requirement: Sendable, Equatable {
        case required
        /// Absent means `defaultValue`.
        case defaulted(String)
        /// Absent means "not set": the operator falls back to something else (named in the doc).
        case optional
    }

    public var name: String
    public var type: ValueType
    public var requirement: Requirement
    public var doc: String
    /// Names the parameter had in earlier releases: a spec using one is refused with the new
    /// name, not with a bare "unknown parameter".
    public var formerNames: [String]

    public init(_ name: String, _ type: ValueType, _ requirement: Requirement, doc: String, formerNames: [String] = []) {
        self.name = name
        self.type = type
        self.requirement = requirement
        self.doc = doc
        self.formerNames = formerNames
    }

    public var defaultValue: String? {
        if case .defaulted(let value) = requirement { return value }
        return nil
    }

    public var isRequired: Bool { requirement == .required }

    /// The canonical text of a YAML value for this parameter, or why it is not one.
    /// Integers come back in decimal, booleans as `true`/`false`.
    public func canonical(_ value: Any) -> Result<String, ParameterValueError> {
        let text: String
        switch value {
        case let string as String: text = string
        case let bool as Bool: text = bool ? "true" : "false"
        case let int as Int: text = String(int)
        case let double as Double: text = String(double)
        default: return .failure(ParameterValueError(expected: "a single \(type) value", got: "\(value)"))
        }
        switch type {
        case .string:
            return .success(text)
        case .integer(let range):
            guard let number = Int(text), range.contains(number) else {
                return .failure(ParameterValueError(expected: "an integer in \(range.lowerBound)…\(range.upperBound)", got: text))
            }
            return .success(String(number))
        case .boolean:
            switch text.lowercased() {
            case "true": return .success("true")
            case "false": return .success("false")
            default: return .failure(ParameterValueError(expected: "true or false", got: text))
            }
        case .choice(let words):
            guard words.contains(text) else {
                return .failure(ParameterValueError(expected: "one of \(words.joined(separator: ", "))", got: text))
            }
            return .success(text)
        }
    }
}

/// A parameter value of the wrong type or out of range.
public struct ParameterValueError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expected: String
    public var got: String

    public init(expected: String, got: String) {
        self.expected = expected
        self.got = got
    }

    public var description: String { "must be \(expected), got '\(got)'" }
}
