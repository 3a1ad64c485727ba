
/// Decodes one JSON object into a row of a declared schema: each column from the JSON field it
/// maps to (its own name unless renamed), with the type rules of the attribution decoders.
///
/// - `int64`: an integer, or a string of digits. `float64`: a number or a numeric string.
/// - `decimal(p,s)`: a number or numeric string with at most `s` fraction digits (beyond them
///   only zeros) and at most `p - s` integer digits; no exponent, never rounded.
/// - `string`: a string (escapes decoded, valid UTF-8, no U+0000); an integer is taken as its
///   text. `bytes`: a string's UTF-8 bytes. `bool`: `true`/`false`.
/// - `timestamp`: a UTC time as `EventTimeFormat` reads it, or epoch milliseconds.
/// - A missing field or JSON `null` is NULL in a nullable column and refused in the others.
///   Unknown fields are ignored; a repeated mapped field is refused.
///
/// Every refusal is a `RecordDecodingError` naming the field (the record is dead-lettered with
/// it); nothing is dropped silently. Owned by one thread: it reuses its buffers, so decoding
/// builds no `String` for plain ASCII text and allocates only the row it returns.
public struct RowJSONDecoder {
    private struct Field {
        var column: Int
        var name: [UInt8]
        var label: String
        var field: FieldName
        var type: ColumnType
        var nullable: Bool
    }

    public let layout: RowLayout
    public var maxRecordBytes: Int
    private let fields: [Field]
    private var builder: RowBuilder
    private var seen: [Bool]

    /// `fieldNames` maps column names to JSON field names where they differ.
    public init(schema: Schema, fieldNames: [String: String] = [:], maxRecordBytes: Int = 64 * 1024) {
        layout = RowLayout(schema)
        self.maxRecordBytes = maxRecordBytes
        fields = schema.columns.enumerated().map { index, column in
            let name = fieldNames[column.name] ?? column.name
            return Field(column: index, name: Array(name.utf8), label: name, field: .named(name), type: column.type, nullable: column.nullable)
        }
        builder = RowBuilder(layout)
        seen = Array(repeating: false, count: schema.columns.count)
    }

    public mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Row {
        guard bytes.count <= maxRecordBytes else { throw .oversized(size: bytes.count, maximum: maxRecordBytes) }
        builder.reset()
        for index in seen.indices { seen[index] = false }
        var scanner = JSONObjectScanner(bytes)
        while let member = try scanner.next() {
            guard let field = fields.first(where: { field in field.name.withUnsafeBytes { member.key.matches($0) } }) else { continue }
            guard !seen[field.column] else { throw .duplicateField(field.label) }
            seen[field.column] = true
            try set(field, member.value)
        }
        for field in fields where !seen[field.column] && !field.nullable { throw .missingField(field.label) }
        do {
            return try builder.finish()
        } catch {
            throw .invalidValue(field: "(row)", detail: error.message)
        }
    }

    private mutating func set(_ field: Field, _ value: JSONValue) throws(RecordDecodingError) {
        if case .null = value {
            guard field.nullable else { throw .wrongType(field: field.label, expected: "a \(field.type) value", found: "null") }
            return builder.setNull(field.column)
        }
        switch field.type {
        case .int64:
            builder.setInt64(field.column, try RecordFieldReader.integer(value, field: field.field))
        case .timestamp:
            if case .number(let token) = value, token.isInteger {
                builder.setInt64(field.column, try RecordFieldReader.integer(value, field: field.field))
            } else {
                builder.setInt64(field.column, try RecordFieldReader.eventTime(value, field: field.field))
            }
        case .float64:
            let raw: UnsafeRawBufferPointer
            switch value {
            case .number(let token): raw = token.raw
            case .string(let token) where !token.hasEscapes: raw = token.raw
            default: throw .wrongType(field: field.label, expected: "a number", found: value.summary)
            }
            guard let number = Double(String(decoding: raw, as: UTF8.self)), number.isFinite else {
                throw .invalidValue(field: field.label, detail: "'\(JSONValue.snippet(raw))' is not a finite number")
            }
            builder.setFloat64(field.column, number)
        case .decimal(let precision, let scale):
            guard let text = try RecordFieldReader.decimalText(value, field: field.field) else { return builder.setNull(field.column) }
            if precision > Decimal64.maxPrecision {
                builder.setVariable(field.column, text)
            } else {
                guard let decimal = Decimal64(text: text, precision: precision, scale: scale) else {
                    throw .invalidValue(field: field.label, detail: "'\(JSONValue.snippet(text))' does not fit \(field.type) exactly")
                }
                builder.setDecimal(field.column, decimal)
            }
        case .string, .bytes:
            switch value {
            case .string(let token):
                do {
                    try token.withText { builder.setVariable(field.column, $0) }
                } catch {
                    throw .invalidValue(field: field.label, detail: "\(error)")
                }
            case .number(let token) where token.isInteger && field.type == .string:
                builder.setVariable(field.column, token.raw)
            default:
                throw .wrongType(field: field.label, expected: "a string", found: value.summary)
            }
        case .bool:
            guard case .bool(let flag) = value else { throw .wrongType(field: field.label, expected: "true or false", found: value.summary) }
            builder.setBool(field.column, flag)
        }
    }
}
