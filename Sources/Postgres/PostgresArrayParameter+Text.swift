/// A `text[]` parameter in binary format (array OID 1009, element `text` 25).
public typealias PostgresTextArray = PostgresArrayParameter<String>

extension String: PostgresArrayElement {
    public static var elementOID: UInt32 { 25 }
    public static var arrayOID: UInt32 { 1009 }
}

/// Text elements are their UTF-8 bytes as they are, so quotes, braces, backslashes, commas and
/// the word NULL are plain data and the server parses no array literal.
extension PostgresArrayParameter where Element == String {
    /// Appends `text`, or NULL for nil. Throws for a text longer than a binary value may be
    /// (2 GiB), which PostgreSQL could not store in a `text` anyway.
    public mutating func append(_ text: String?) throws {
        guard let text else { return appendNull() }
        let utf8 = text.utf8
        guard let length = Int32(exactly: utf8.count) else {
            throw PostgresError.clientError(message: "a text of \(utf8.count) bytes is too long for a PostgreSQL value (at most 1 GB): shorten it",
                                            context: "binary text[] parameter")
        }
        beginElement(byteCount: length)
        appendBytes(utf8)
    }
}
