import SluiceEngine

/// Writes one flat JSON object into a byte buffer by hand — no Foundation encoder, no
/// intermediate dictionaries — so the datagen can format well over 100k events per second.
///
/// Strings are escaped per RFC 8259 (`"`, `\`, and control characters; other UTF-8 passes
/// through). Use: `var writer = JSONObjectWriter(reusing: &buffer)`, add fields, then
/// `buffer = writer.finish()`, which keeps the buffer's capacity for the next record.
struct JSONObjectWriter {
    private(set) var bytes: [UInt8]
    private var isFirstField = true
    /// A field left out of the object (for "missing field" malformed records).
    var omittedField: String?

    /// Takes `buffer`'s storage (leaving it empty), clears it and opens the object.
    init(reusing buffer: inout [UInt8], omitting omittedField: String? = nil) {
        bytes = []
        swap(&bytes, &buffer)
        bytes.removeAll(keepingCapacity: true)
        bytes.append(UInt8(ascii: "{"))
        self.omittedField = omittedField
    }

    /// Closes the object and hands the buffer back.
    mutating func finish() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        var result: [UInt8] = []
        swap(&result, &bytes)
        return result
    }

    /// `"name":"escaped value"`.
    mutating func string(_ name: StaticString, _ value: String) {
        guard beginField(name) else { return }
        appendQuoted(value)
    }

    /// `"name":123`.
    mutating func integer(_ name: StaticString, _ value: Int64) {
        guard beginField(name) else { return }
        appendInteger(value)
    }

    /// `"name":12.34` for an amount in cents: always two decimals.
    mutating func cents(_ name: StaticString, _ value: Int64) {
        guard beginField(name) else { return }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        appendInteger(Int64(magnitude / 100))
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(magnitude / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
    }

    /// `"name":<raw>` with `raw` copied verbatim (the caller vouches for, or deliberately breaks, its syntax).
    mutating func raw(_ name: StaticString, _ raw: String) {
        guard beginField(name) else { return }
        bytes.append(contentsOf: raw.utf8)
    }

    // MARK: - Pieces

    /// Writes the separator and the key; false when the field is the omitted one.
    private mutating func beginField(_ name: StaticString) -> Bool {
        if let omittedField, name.withUTF8Buffer({ $0.elementsEqual(omittedField.utf8) }) { return false }
        if !isFirstField { bytes.append(UInt8(ascii: ",")) }
        isFirstField = false
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        return true
    }

    private mutating func appendQuoted(_ value: String) {
        JSONBytes.appendQuoted(value.utf8, into: &bytes)
    }

    private mutating func appendInteger(_ value: Int64) {
        JSONBytes.appendInteger(value, into: &bytes)
    }
}
