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
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
