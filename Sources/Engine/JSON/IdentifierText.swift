/// An id's text as a decoder found it: the record's own bytes (plain ASCII, no escapes) or a
/// decoded string. Valid only while the record's buffer is.
public enum IdentifierText {
    case raw(UnsafeRawBufferPointer)
    case text(String)

    public func withUTF8<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch self {
        case .raw(let bytes):
            return body(bytes)
        case .text(let text):
            var text = text
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }
}
