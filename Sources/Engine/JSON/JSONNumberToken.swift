/// The text of a JSON number exactly as it appeared in the record (RFC 8259 grammar already
/// checked by the scanner). Valid only while the record's buffer is.
public struct JSONNumberToken {
    public let raw: UnsafeRawBufferPointer
    /// No fraction and no exponent: the text is a plain (possibly negative) decimal integer.
    public let isInteger: Bool

    @inlinable init(raw: UnsafeRawBufferPointer, isInteger: Bool) {
        self.raw = raw
        self.isInteger = isInteger
    }

    public var text: String { String(decoding: raw, as: UTF8.self) }
}
