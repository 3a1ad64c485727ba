/// An `int8[]` (`bigint[]`) parameter in binary format (array OID 1016, element `int8` 20).
public typealias PostgresInt8Array = PostgresArrayParameter<Int64>

extension Int64: PostgresArrayElement {
    public static var elementOID: UInt32 { 20 }
    public static var arrayOID: UInt32 { 1016 }
}

/// Int64 elements are 8 big-endian bytes: every value arrives exactly, with no text formatting
/// on this side or parsing on the server's.
extension PostgresArrayParameter where Element == Int64 {
    /// Appends `value`, or NULL for nil.
    public mutating func append(_ value: Int64?) {
        guard let value else { return appendNull() }
        beginElement(byteCount: 8)
        appendInteger(value)
    }
}
