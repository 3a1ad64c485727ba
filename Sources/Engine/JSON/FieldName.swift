/// The name of a record field in a dead-letter reason: a literal of the attribution decoders
/// (no `String` built on the happy path) or a declared schema's JSON field name. Not generic,
/// so the readers taking it are one function each, not specializations.
public enum FieldName: CustomStringConvertible {
    case literal(StaticString)
    case named(String)

    public var description: String {
        switch self {
        case .literal(let name): "\(name)"
        case .named(let name): name
        }
    }
}
