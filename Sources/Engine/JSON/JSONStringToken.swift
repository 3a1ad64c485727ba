/// The contents of one JSON string (between the quotes) as still-escaped bytes of the record.
///
/// The scanner has already checked the escape syntax (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, `\uXXXX`) and that no raw control character occurs; `decoded()` does the rest (surrogate
/// pairs, UTF-8 validity). Valid only while the record's buffer is.
public struct JSONStringToken {
    public let raw: UnsafeRawBufferPointer
    public let hasEscapes: Bool

    @inlinable init(raw: UnsafeRawBufferPointer, hasEscapes: Bool) {
        self.raw = raw
        self.hasEscapes = hasEscapes
    }

    /// Why a string's bytes do not form text we can store.
    public enum Failure: Error, CustomStringConvertible {
        case invalidUTF8
        case unpairedSurrogate(UInt16)
        /// PostgreSQL `text` cannot hold U+0000; letting it through would fail the sink
        /// transaction over and over, so the record is dead-lettered here instead.
        case nulCharacter

        public var description: String {
            switch self {
            case .invalidUTF8: return "string is not valid UTF-8"
            case .unpairedSurrogate(let unit): return "string has an unpaired UTF-16 surrogate \\u\(Self.hex(unit))"
            case .nulCharacter: return "string contains U+0000, which PostgreSQL text cannot store"
            }
        }

        static func hex(_ unit: UInt16) -> String {
            let digits = String(unit, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }
    }

    /// Whether the decoded string equals `name` (an ASCII field name), without allocating in the
    /// common case of an unescaped key.
    @inlinable public func matches(_ name: StaticString) -> Bool {
        matches(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// Whether the decoded string equals the UTF-8 bytes `expected`.
    @inlinable public func matches(_ expected: UnsafeRawBufferPointer) -> Bool {
        if !hasEscapes { return Self.equal(raw, expected) }
        guard let bytes = try? unescapedBytes() else { return false }
        return bytes.withUnsafeBytes { Self.equal($0, expected) }
    }

    /// Checks what `decoded()` checks without building the `String`: for fields a record must
    /// carry valid text in but that no operator reads.
    @inlinable public func validate() throws(Failure) {
        if !hasEscapes && Self.isASCII(raw) { return }
        _ = try decoded()
    }

    /// Runs `body` over the string's valid UTF-8 bytes: the record's own bytes for plain ASCII
    /// (no allocation), a decoded copy otherwise.
    public func withText<Result>(_ body: (UnsafeRawBufferPointer) -> Result) throws(Failure) -> Result {
        if !hasEscapes && Self.isASCII(raw) { return body(raw) }
        var text = try decoded()
        return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    public func decoded() throws(Failure) -> String {
        if !hasEscapes {
            // Nearly every field is plain ASCII, which is valid UTF-8 by construction; the
            // non-validating initializer is about 3x faster than `String(validating:)`.
            if Self.isASCII(raw) { return String(decoding: raw, as: UTF8.self) }
            guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8 }
            return text
        }
        let bytes = try unescapedBytes()
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    /// The string's UTF-8 bytes with every escape resolved (not yet validated as UTF-8).
    @usableFromInline func unescapedBytes() throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < raw.count else { throw .invalidUTF8 }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = try hexUnit(at: index)
                index += 4
                let scalar: UInt32
                switch unit {
                case 0xD800...0xDBFF:
                    // A high surrogate must be followed by `\u` + a low surrogate; together they
                    // encode one scalar above U+FFFF (how JSON spells emoji and the like).
                    guard index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"), raw[index + 1] == UInt8(ascii: "u")
                    else { throw .unpairedSurrogate(unit) }
                    let low = try hexUnit(at: index + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw .unpairedSurrogate(unit) }
                    index += 6
                    scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                case 0xDC00...0xDFFF:
                    throw .unpairedSurrogate(unit)
                case 0:
                    throw .nulCharacter
                default:
                    scalar = UInt32(unit)
                }
                Self.appendUTF8(scalar, to: &out)
            default:
                throw .invalidUTF8
            }
        }
        return out
    }

    func hexUnit(at index: Int) throws(Failure) -> UInt16 {
        guard index + 4 <= raw.count else { throw .invalidUTF8 }
        var unit: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = JSONStringToken.hexValue(raw[index + offset]) else { throw .invalidUTF8 }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Whether every byte is below 0x80, checked eight bytes at a time.
    @inlinable public static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }

    @inlinable static func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs[index] != rhs[index] { return false }
        return true
    }
}
