/// A `text[]` parameter in binary format (array OID 1009, element `text` 25).
public typealias PostgresTextArray = PostgresArrayParameter<String>

extension String: PostgresArrayElement {
    public static var elementOID: UInt32 { 25 }
    public static var arrayOID: UInt32 { 1009 }

    /// The length field of a binary text value of `count` UTF-8 bytes. Throws for a text longer
    /// than a binary value may be (2 GiB), which PostgreSQL could not store in a `text` anyway;
    /// `context` names the value in the error.
    static func postgresLength(_ count: Int, context: String) throws -> Int32 {
        guard let length = Int32(exactly: count) else {
            throw PostgresError.clientError(message: "a text of \(count) bytes is too long for a PostgreSQL value (at most 1 GB): shorten it",
                                            context: context)
        }
        return length
    }
}

/// Text elements are their UTF-8 bytes as they are, so quotes, braces, backslashes, commas and
/// the word NULL are plain data and the server parses no array literal.
extension PostgresArrayParameter where Element == String {
    /// Appends `text`, or NULL for nil. Throws for a text longer than a binary value may be
    /// (2 GiB), which PostgreSQL could not store in a `text` anyway.
    public mutating func append(_ text: String?) throws {
        guard let text else { return appendNull() }
        let utf8 = text.utf8
        beginElement(byteCount: try String.postgresLength(utf8.count, context: "binary text[] parameter"))
        appendBytes(utf8)
    }

    /// Appends the text whose UTF-8 bytes are `utf8` (for callers that hold text in another
    /// form than a `String`, without building one).
    public mutating func append(utf8: UnsafeRawBufferPointer) throws {
        beginElement(byteCount: try String.postgresLength(utf8.count, context: "binary text[] parameter"))
        appendBytes(utf8)
    }
}
