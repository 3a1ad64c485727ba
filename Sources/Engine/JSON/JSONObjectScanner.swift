/// Walks the top-level members of exactly one JSON object, in order, straight off the record's
/// bytes.
///
/// Owns nothing: it borrows `bytes` for as long as the caller keeps them alive, and every token it
/// returns points into them. The whole record is validated as JSON as it is walked — strings
/// (escape syntax, no raw control characters), numbers (RFC 8259 grammar), literals, and nested
/// objects/arrays, which are skipped without being built. After the closing brace only whitespace
/// may follow. Nesting inside a member's value is limited to `maximumDepth` levels, so a hostile
/// record cannot make the skipper use unbounded memory; the skipper keeps its open containers in a
/// bit set and never allocates.
///
/// Inlinable on purpose: jobs' own decoders (other modules) walk every record with it, and a call
/// per member and byte loop across the module boundary cost the attribution's click decoding 4x
/// (bench/limits.md); error paths (`fail`, `describeByte`) stay out of line.
///
/// Not thread-safe and not meant to be: one scanner per record, on the task's mailbox thread.
public struct JSONObjectScanner {
    /// One `"key": value` pair of the object.
    public struct Member {
        public let key: JSONStringToken
        public let value: JSONValue

        @inlinable init(key: JSONStringToken, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// Deepest nesting of objects/arrays inside one member's value.
    public static let maximumDepth = 64

    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var position = 0
    @usableFromInline var phase = Phase.beforeObject

    @usableFromInline enum Phase { case beforeObject, inObject, finished }

    @inlinable public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next member, or `nil` once the closing brace (and nothing but whitespace after it) has
    /// been read.
    @inlinable public mutating func next() throws(RecordDecodingError) -> Member? {
        switch phase {
        case .finished:
            return nil
        case .beforeObject:
            skipWhitespace()
            guard position < bytes.count else {
                throw fail(bytes.isEmpty ? "empty record, expected a JSON object" : "expected '{', found only whitespace")
            }
            guard bytes[position] == UInt8(ascii: "{") else {
                throw fail("expected '{' (a record must be one JSON object), found \(describeByte(at: position))")
            }
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                try finish()
                return nil
            }
            phase = .inObject
            return try member()
        case .inObject:
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of input, expected ',' or '}'") }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
                return try member()
            case UInt8(ascii: "}"):
                position += 1
                try finish()
                return nil
            default:
                throw fail("expected ',' or '}' after a member, found \(describeByte(at: position))")
            }
        }
    }

    // MARK: - Grammar

    @inlinable mutating func finish() throws(RecordDecodingError) {
        phase = .finished
        skipWhitespace()
        guard position == bytes.count else {
            throw fail("unexpected \(describeByte(at: position)) after the end of the JSON object (trailing data)")
        }
    }

    @inlinable mutating func member() throws(RecordDecodingError) -> Member {
        let key = try objectKey()
        skipWhitespace()
        let value = try value()
        return Member(key: key, value: value)
    }

    /// A key string and the colon after it, leaving `position` at the value.
    @inlinable mutating func objectKey() throws(RecordDecodingError) -> JSONStringToken {
        guard position < bytes.count else { throw fail("unexpected end of input, expected an object key") }
        guard bytes[position] == UInt8(ascii: "\"") else {
            throw fail("expected '\"' to start an object key, found \(describeByte(at: position))")
        }
        let key = try string()
        skipWhitespace()
        guard position < bytes.count else { throw fail("unexpected end of input, expected ':' after an object key") }
        guard bytes[position] == UInt8(ascii: ":") else {
            throw fail("expected ':' after an object key, found \(describeByte(at: position))")
        }
        position += 1
        return key
    }

    @inlinable mutating func value() throws(RecordDecodingError) -> JSONValue {
        guard position < bytes.count else { throw fail("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            try skipContainer()
            return .object
        case UInt8(ascii: "["):
            try skipContainer()
            return .array
        default:
            return try scalar()
        }
    }

    @inlinable mutating func scalar() throws(RecordDecodingError) -> JSONValue {
        guard position < bytes.count else { throw fail("unexpected end of input, expected a value") }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            throw fail("expected a value, found \(describeByte(at: position))")
        }
    }

    /// Skips one object or array (starting at its opening bracket), validating its contents.
    @inlinable mutating func skipContainer() throws(RecordDecodingError) {
        // Bit i set = the container at depth i is an object; depth = number of open containers.
        var objects: UInt64 = 0
        var depth = 0
        while true {
            // At the start of a value.
            skipWhitespace()
            guard position < bytes.count else { throw fail("unexpected end of input inside a nested value") }
            let opener = bytes[position]
            if opener == UInt8(ascii: "{") || opener == UInt8(ascii: "[") {
                guard depth < Self.maximumDepth else {
                    throw fail("nesting deeper than \(Self.maximumDepth) levels")
                }
                let isObject = opener == UInt8(ascii: "{")
                if isObject { objects |= 1 << UInt64(depth) } else { objects &= ~(1 << UInt64(depth)) }
                depth += 1
                position += 1
                skipWhitespace()
                let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if position < bytes.count, bytes[position] == closer {
                    position += 1
                    depth -= 1
                } else {
                    if isObject { _ = try objectKey() }
                    continue
                }
            } else {
                _ = try scalar()
            }
            // After a complete value: close containers or move on to the next element.
            while true {
                if depth == 0 { return }
                skipWhitespace()
                guard position < bytes.count else { throw fail("unexpected end of input inside a nested value") }
                let isObject = objects & (1 << UInt64(depth - 1)) != 0
                let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                let byte = bytes[position]
                if byte == closer {
                    position += 1
                    depth -= 1
                } else if byte == UInt8(ascii: ",") {
                    position += 1
                    if isObject {
                        skipWhitespace()
                        _ = try objectKey()
                    }
                    break
                } else {
                    throw fail("expected ',' or '\(Character(Unicode.Scalar(closer)))' in a nested value, found \(describeByte(at: position))")
                }
            }
        }
    }

    /// A string starting at its opening quote; checks escape syntax, decodes nothing.
    @inlinable mutating func string() throws(RecordDecodingError) -> JSONStringToken {
        let opening = position
        position += 1
        let start = position
        var hasEscapes = false
        while position < bytes.count {
            skipPlainStringBytes()
            guard position < bytes.count else { break }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                let token = JSONStringToken(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), hasEscapes: hasEscapes)
                position += 1
                return token
            case UInt8(ascii: "\\"):
                hasEscapes = true
                guard position + 1 < bytes.count else { throw fail("unterminated string", at: opening) }
                switch bytes[position + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 2
                case UInt8(ascii: "u"):
                    for offset in 2..<6 {
                        guard position + offset < bytes.count else {
                            throw fail("unexpected end of input inside a \\u escape", at: position)
                        }
                        guard JSONStringToken.hexValue(bytes[position + offset]) != nil else {
                            throw fail("invalid \\u escape: \(describeByte(at: position + offset)) is not a hex digit", at: position)
                        }
                    }
                    position += 6
                default:
                    throw fail("invalid escape '\\\(describeByte(at: position + 1, quoted: false))' in a string", at: position)
                }
            case 0x00..<0x20:
                throw fail("control character 0x\(String(byte, radix: 16, uppercase: true)) inside a string (must be escaped)")
            default:
                position += 1
            }
        }
        throw fail("unterminated string", at: opening)
    }

    /// A number per RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    @inlinable mutating func number() throws(RecordDecodingError) -> JSONNumberToken {
        let start = position
        var isInteger = true
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw fail("invalid number: expected a digit") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, isDigit(bytes[position]) {
                throw fail("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw fail("invalid number: expected a digit after '.'")
            }
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw fail("invalid number: expected a digit in the exponent")
            }
            skipDigits()
        }
        return JSONNumberToken(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), isInteger: isInteger)
    }

    @inlinable mutating func literal(_ word: StaticString) throws(RecordDecodingError) {
        let start = position
        let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard position < bytes.count, bytes[position] == byte else {
                throw fail("invalid literal, expected '\(word)'", at: start)
            }
            position += 1
        }
    }

    // MARK: - Bytes

    @inlinable mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Advances over string bytes that need no attention — anything but `"`, `\\` and control
    /// characters — eight at a time (strings are most of a record's bytes).
    @inlinable mutating func skipPlainStringBytes() {
        let quotes: UInt64 = 0x2222_2222_2222_2222
        let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
        let spaces: UInt64 = 0x2020_2020_2020_2020
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while position + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            // Classic "has a zero byte" tests; a flagged word is re-examined byte by byte.
            let quote = (word ^ quotes) &- ones & ~(word ^ quotes)
            let backslash = (word ^ backslashes) &- ones & ~(word ^ backslashes)
            let control = word &- spaces & ~word
            if (quote | backslash | control) & highs != 0 { break }
            position += 8
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return }
            position += 1
        }
    }

    @inlinable mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
    }

    @inlinable func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    @usableFromInline func fail(_ detail: String, at offset: Int? = nil) -> RecordDecodingError {
        .invalidJSON(offset: offset ?? position, detail: detail)
    }

    /// `'x'` for printable ASCII, `byte 0xFF` otherwise, `end of input` past the end.
    @usableFromInline func describeByte(at offset: Int, quoted: Bool = true) -> String {
        guard offset < bytes.count else { return "end of input" }
        let byte = bytes[offset]
        guard (0x20..<0x7F).contains(byte) else { return "byte 0x\(String(byte, radix: 16, uppercase: true))" }
        let character = String(Character(Unicode.Scalar(byte)))
        return quoted ? "'\(character)'" : character
    }
}
