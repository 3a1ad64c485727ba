
/// Turns the JSON value of one record field into its domain type, with the type rules shared by
/// clicks and checkouts and a dead-letter reason naming the field when the value is unusable.
///
/// The producers are not under our control, so each reader accepts the obvious alternative
/// spelling (a user id as a string of digits, a product id or amount as a number or a string) but
/// nothing that would need guessing. The attribution decoders name fields with `StaticString`s
/// so the happy path never builds a `String` for them; `RowJSONDecoder` passes the column's
/// JSON name (`FieldName`; the name only appears in dead-letter reasons).
public enum RecordFieldReader {
    /// Exponents PostgreSQL's NUMERIC input accepts; a larger one would pass here and then fail
    /// the sink transaction on every retry.
    public static let maximumDecimalExponent = 1_000

    /// An id (`click_id`, `checkout_id`, `product_id`): a non-empty string, or an integer written
    /// as its decimal text.
    public static func identifier(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) -> String {
        switch value {
        case .string(let token):
            let text = try decode(token, field: field)
            guard !text.isEmpty else { throw .invalidValue(field: "\(field)", detail: "must not be empty") }
            return text
        case .number(let token) where token.isInteger:
            return token.text
        default:
            throw .wrongType(field: "\(field)", expected: "a string or an integer", found: value.summary)
        }
    }

    /// An id (`click_id`) as its text: what `identifier` accepts, as the record's own bytes when
    /// it is a plain ASCII string (no `String` built), else decoded.
    public static func identifierText(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) -> IdentifierText {
        if case .string(let token) = value, !token.hasEscapes, JSONStringToken.isASCII(token.raw) {
            guard !token.raw.isEmpty else { throw .invalidValue(field: "\(field)", detail: "must not be empty") }
            return .raw(token.raw)
        }
        return .text(try identifier(value, field: field))
    }

    /// A 64-bit integer, or a string holding one (optional `-`, then decimal digits only).
    public static func integer(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) -> Int64 {
        let raw: UnsafeRawBufferPointer
        switch value {
        case .number(let token) where token.isInteger:
            raw = token.raw
        case .string(let token) where !token.hasEscapes:
            raw = token.raw
        default:
            throw .wrongType(field: "\(field)", expected: "an integer or a string of digits", found: value.summary)
        }
        guard let parsed = parseInt64(raw) else {
            if case .string = value, !isIntegerText(raw) {
                throw .wrongType(field: "\(field)", expected: "an integer or a string of digits", found: value.summary)
            }
            throw .invalidValue(field: "\(field)", detail: "\(JSONValue.snippet(raw)) does not fit a 64-bit integer")
        }
        return parsed
    }

    /// Free text; absent or `null` means "".
    public static func text(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) -> String {
        switch value {
        case .string(let token): return try decode(token, field: field)
        case .null: return ""
        default: throw .wrongType(field: "\(field)", expected: "a string", found: value.summary)
        }
    }

    /// What `text` accepts, checked without building the `String` (a field no operator reads).
    public static func checkedText(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) {
        switch value {
        case .string(let token):
            do { try token.validate() } catch { throw .invalidValue(field: "\(field)", detail: "\(error)") }
        case .null: return
        default: throw .wrongType(field: "\(field)", expected: "a string", found: value.summary)
        }
    }

    /// What `decimal` accepts, checked without building the `String` (a field no operator reads).
    public static func checkedDecimal(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) {
        _ = try decimalText(value, field: field)
    }

    /// A money amount kept as its exact decimal text (the sink writes it into NUMERIC, so no
    /// binary floating point ever touches it): a JSON number, or a string holding a finite decimal
    /// number. Absent or `null` means "0".
    public static func decimal(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) -> String {
        guard let text = try decimalText(value, field: field) else { return "0" }
        return String(decoding: text, as: UTF8.self)
    }

    /// The validated bytes of a `decimal` value, nil for `null`.
    public static func decimalText(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) -> UnsafeRawBufferPointer? {
        switch value {
        case .number(let token):
            guard exponentIsStorable(token.raw) else {
                throw .invalidValue(field: "\(field)", detail: "exponent of \(JSONValue.snippet(token.raw)) is out of range ±\(maximumDecimalExponent)")
            }
            return token.raw
        case .string(let token) where !token.hasEscapes:
            guard isDecimalText(token.raw) else {
                throw .invalidValue(field: "\(field)", detail: "'\(JSONValue.snippet(token.raw))' is not a finite decimal number")
            }
            guard exponentIsStorable(token.raw) else {
                throw .invalidValue(field: "\(field)", detail: "exponent of \(JSONValue.snippet(token.raw)) is out of range ±\(maximumDecimalExponent)")
            }
            return token.raw
        case .string(let token):
            throw .invalidValue(field: "\(field)", detail: "'\(JSONValue.snippet(token.raw))' is not a finite decimal number")
        case .null:
            return nil
        default:
            throw .wrongType(field: "\(field)", expected: "a number or a numeric string", found: value.summary)
        }
    }

    /// An event time string (see `EventTimeFormat`) as epoch milliseconds.
    public static func eventTime(_ value: JSONValue, field: FieldName) throws(RecordDecodingError) -> Int64 {
        guard case .string(let token) = value else {
            throw .wrongType(field: "\(field)", expected: "a string 'YYYY-MM-DD HH:MM:SS.mmm'", found: value.summary)
        }
        func invalid(_ error: EventTimeParseError) -> RecordDecodingError {
            .invalidValue(field: "\(field)", detail: "invalid timestamp '\(JSONValue.snippet(token.raw, limit: 64))' (\(error))")
        }
        if token.hasEscapes {
            let text = try decode(token, field: field)
            do { return try EventTimeFormat.parse(text) } catch { throw invalid(error) }
        }
        do { return try EventTimeFormat.parse(utf8: token.raw) } catch { throw invalid(error) }
    }

    // MARK: - Helpers

    static func decode(_ token: JSONStringToken, field: FieldName) throws(RecordDecodingError) -> String {
        do {
            return try token.decoded()
        } catch {
            throw .invalidValue(field: "\(field)", detail: "\(error)")
        }
    }

    /// `-?[0-9]+` that fits Int64, else nil.
    public static func parseInt64(_ raw: UnsafeRawBufferPointer) -> Int64? {
        guard isIntegerText(raw) else { return nil }
        let negative = raw[0] == UInt8(ascii: "-")
        var magnitude: UInt64 = 0
        for byte in raw.dropFirst(negative ? 1 : 0) {
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    static func isIntegerText(_ raw: UnsafeRawBufferPointer) -> Bool {
        let start = raw.first == UInt8(ascii: "-") ? 1 : 0
        guard raw.count > start else { return false }
        for index in start..<raw.count where !isDigit(raw[index]) { return false }
        return true
    }

    /// What PostgreSQL's NUMERIC input reads as a finite number:
    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` — no NaN, no Infinity, no spaces.
    static func isDecimalText(_ raw: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        if index < raw.count, raw[index] == UInt8(ascii: "+") || raw[index] == UInt8(ascii: "-") { index += 1 }
        var mantissaDigits = 0
        while index < raw.count, isDigit(raw[index]) { index += 1; mantissaDigits += 1 }
        if index < raw.count, raw[index] == UInt8(ascii: ".") {
            index += 1
            while index < raw.count, isDigit(raw[index]) { index += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return false }
        if index < raw.count, raw[index] == UInt8(ascii: "e") || raw[index] == UInt8(ascii: "E") {
            index += 1
            if index < raw.count, raw[index] == UInt8(ascii: "+") || raw[index] == UInt8(ascii: "-") { index += 1 }
            var exponentDigits = 0
            while index < raw.count, isDigit(raw[index]) { index += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return false }
        }
        return index == raw.count
    }

    /// Whether the exponent (if any) of already-validated decimal text is within ±1000.
    static func exponentIsStorable(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let marker = raw.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return true }
        var index = marker + 1
        if index < raw.count, raw[index] == UInt8(ascii: "+") || raw[index] == UInt8(ascii: "-") { index += 1 }
        while index < raw.count - 1, raw[index] == UInt8(ascii: "0") { index += 1 }
        var exponent = 0
        while index < raw.count {
            exponent = exponent * 10 + Int(raw[index] - UInt8(ascii: "0"))
            guard exponent <= maximumDecimalExponent else { return false }
            index += 1
        }
        return true
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

extension RecordFieldReader {
    /// If `member` is `field`, converts its value into `slot` and returns true; a second
    /// occurrence of the same field is refused.
    public static func read<Value>(
        _ member: JSONObjectScanner.Member, _ field: StaticString, into slot: inout Value?,
        _ convert: (JSONValue, FieldName) throws(RecordDecodingError) -> Value
    ) throws(RecordDecodingError) -> Bool {
        guard member.key.matches(field) else { return false }
        guard slot == nil else { throw .duplicateField("\(field)") }
        slot = try convert(member.value, .literal(field))
        return true
    }

    public static func required<Value>(_ value: Value?, field: StaticString) throws(RecordDecodingError) -> Value {
        guard let value else { throw .missingField("\(field)") }
        return value
    }

    /// Runs `body` over the record as one contiguous buffer, copying only when the collection
    /// has no contiguous storage of its own (arrays, `ByteBufferView` and slices of them do).
    public static func withRawBytes<Bytes: Collection<UInt8>, Value>(
        _ bytes: Bytes, maxRecordBytes: Int, _ body: (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Value
    ) throws(RecordDecodingError) -> Value {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(RecordDecodingError) -> Value in try body(UnsafeRawBufferPointer(buffer)) }
        }
        if let contiguous { return try contiguous.get() }
        let count = bytes.count
        guard count <= maxRecordBytes else { throw .oversized(size: count, maximum: maxRecordBytes) }
        return try Array(bytes).withUnsafeBytes { raw in
            Result { () throws(RecordDecodingError) -> Value in try body(raw) }
        }.get()
    }
}
