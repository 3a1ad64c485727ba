/// Rows in the binary format of `COPY … FROM STDIN (FORMAT binary)`: the 19-byte header, then
/// per row a field count and each field as a 4-byte big-endian length (-1: NULL) and its bytes
/// in the type's binary form, then the 2-byte trailer. The server reads each field with the
/// column type's receive function (no text parsing) and inserts the rows with its multi-row
/// insert path.
///
/// Owns one growing buffer, reused batch after batch (`reset`), so encoding allocates nothing
/// per row once it is large enough. A value used by one thread. Invariant: after `reset` the
/// buffer holds the header and the rows appended since; `finish` appends the trailer once.
public struct PostgresCopyBinaryWriter {
    public private(set) var bytes: [UInt8] = []
    public private(set) var rows = 0

    public init() {
        reset()
    }

    /// Empties the buffer (capacity kept) and writes the header.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: Self.signature)
        appendInteger(Int32(0))  // flags: no OIDs
        appendInteger(Int32(0))  // header extension length
        rows = 0
    }

    /// Starts a row of `fields` fields; append exactly that many before the next row.
    public mutating func beginRow(fields: Int16) {
        appendInteger(fields)
        rows += 1
    }

    /// A `text` field (its UTF-8 bytes), or NULL.
    public mutating func append(text: String?) throws {
        guard var text else { return appendInteger(Int32(-1)) }
        try text.withUTF8 { try append(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// A `text` field given as UTF-8 bytes.
    public mutating func append(utf8: UnsafeRawBufferPointer) throws {
        appendInteger(try String.postgresLength(utf8.count, context: "binary COPY row"))
        bytes.append(contentsOf: utf8)
    }

    /// An `int8` field.
    public mutating func append(int8 value: Int64) {
        appendInteger(Int32(8))
        appendInteger(value)
    }

    /// A `float8` field.
    public mutating func append(float8 value: Double) {
        appendInteger(Int32(8))
        appendInteger(value.bitPattern)
    }

    /// A `boolean` field.
    public mutating func append(bool value: Bool) {
        appendInteger(Int32(1))
        bytes.append(value ? 1 : 0)
    }

    /// A NULL field of any type.
    public mutating func appendNull() {
        appendInteger(Int32(-1))
    }

    /// A `timestamp` (without time zone) field for the instant `epochMillis`, or NULL; throws
    /// as `PostgresTimestamp.microseconds` does.
    public mutating func append(timestampMillis epochMillis: Int64?) throws {
        guard let epochMillis else { return appendInteger(Int32(-1)) }
        let micros = try PostgresTimestamp.microseconds(epochMillis: epochMillis, context: "binary COPY row")
        appendInteger(Int32(8))
        appendInteger(micros)
    }

    /// A `numeric` field from decimal text (`PostgresNumeric.appendBinary`); false, with nothing
    /// appended, when the text is not a decimal number that form can hold.
    public mutating func append(numeric text: String) -> Bool {
        var text = text
        return text.withUTF8 { append(numeric: UnsafeRawBufferPointer($0)) }
    }

    /// A `numeric` field from decimal text given as UTF-8 bytes.
    public mutating func append(numeric utf8: UnsafeRawBufferPointer) -> Bool {
        let start = bytes.count
        appendInteger(Int32(0))  // length, patched below
        guard PostgresNumeric.appendBinary(utf8, to: &bytes) else {
            bytes.removeSubrange(start...)
            return false
        }
        let length = UInt32(bytes.count - start - 4)
        for shift in 0..<4 { bytes[start + shift] = UInt8(truncatingIfNeeded: length >> UInt32(24 - 8 * shift)) }
        return true
    }

    /// Ends the data; append nothing after it before the next `reset`.
    public mutating func finish() {
        appendInteger(Int16(-1))
    }

    private mutating func appendInteger<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]
}
