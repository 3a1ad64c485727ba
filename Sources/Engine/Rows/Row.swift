/// One row in the binary row format (`RowLayout`): its bytes, read in place.
///
/// A value type; accessors take the column index and read the slot at its fixed offset
/// without touching other columns. Reading assumes the bytes match `layout` — rows built by
/// `RowBuilder` do, and bytes from the network or state pass `init(validating:layout:)` first.
public struct Row: Sendable, Hashable {
    public private(set) var bytes: [UInt8]

    /// Wraps bytes a `RowBuilder` produced.
    init(trusted bytes: [UInt8]) { self.bytes = bytes }

    /// Wraps bytes a specialized writer laid out as `RowLayout` says, on a hot path where a
    /// `RowBuilder` costs too much (the writer's tests compare its bytes with the builder's).
    public init(laidOut bytes: [UInt8]) { self.bytes = bytes }

    /// Wraps bytes read back from keyed state without checking them yet: the holder must pass
    /// them through `init(validating:layout:)` once before reading a column (state written by
    /// another schema must fail the task, not read out of bounds).
    public init(unvalidated bytes: [UInt8]) { self.bytes = bytes }

    /// Checks that `bytes` is a row of `layout`: long enough, no null bit past the last
    /// column, every variable-length reference inside the variable part, booleans 0 or 1.
    public init(validating bytes: [UInt8], layout: RowLayout) throws(RowFormatError) {
        guard bytes.count >= layout.fixedSize else {
            throw RowFormatError("\(bytes.count) bytes, but \(layout.schema.name) needs at least \(layout.fixedSize)")
        }
        let row = Row(trusted: bytes)
        for index in layout.columnCount..<(layout.nullBytes * 8) where row.isNull(index) {
            throw RowFormatError("null bit \(index) set past the \(layout.columnCount) columns")
        }
        for (index, slot) in layout.slots.enumerated() {
            let raw = row.rawSlot(index, layout)
            if row.isNull(index) {
                guard raw == 0 else { throw RowFormatError("column \(index) is NULL but its slot is not zero") }
                continue
            }
            switch slot {
            case .bool:
                guard raw <= 1 else { throw RowFormatError("column \(index) is a bool holding \(raw)") }
            case .variable:
                let offset = Int(raw >> 32), length = Int(raw & 0xFFFF_FFFF)
                guard offset >= layout.fixedSize, offset <= bytes.count, length <= bytes.count - offset else {
                    throw RowFormatError("column \(index) points at \(offset)+\(length) in a \(bytes.count)-byte row")
                }
            case .int64, .float64:
                break
            }
        }
        self = row
    }

    @inlinable
    public func isNull(_ index: Int) -> Bool {
        bytes[index >> 3] & (1 << UInt8(index & 7)) != 0
    }

    @usableFromInline
    func rawSlot(_ index: Int, _ layout: RowLayout) -> UInt64 {
        bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: layout.slotOffset(index), as: UInt64.self)) }
    }

    /// An `int64`, `timestamp` (ms) or `decimal` (unscaled) column; 0 when NULL.
    public func int64(_ index: Int, _ layout: RowLayout) -> Int64 { Int64(bitPattern: rawSlot(index, layout)) }

    public func float64(_ index: Int, _ layout: RowLayout) -> Double { Double(bitPattern: rawSlot(index, layout)) }

    public func bool(_ index: Int, _ layout: RowLayout) -> Bool { rawSlot(index, layout) != 0 }

    /// A decimal column of precision ≤ 18 with its scale.
    public func decimal(_ index: Int, _ layout: RowLayout) -> Decimal64 {
        guard case .decimal(_, let scale) = layout.schema.columns[index].type else { preconditionFailure("column \(index) is no decimal") }
        return Decimal64(unscaled: int64(index, layout), scale: scale)
    }

    /// The bytes of a variable-length column (`string` as UTF-8, `bytes`, a wide decimal's text).
    public func withVariable<Result>(_ index: Int, _ layout: RowLayout, _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let raw = rawSlot(index, layout)
        let offset = Int(raw >> 32), length = Int(raw & 0xFFFF_FFFF)
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + length)])) }
    }

    /// A `string` column as a Swift string (allocates; hot paths use `withVariable`).
    public func string(_ index: Int, _ layout: RowLayout) -> String {
        withVariable(index, layout) { String(decoding: $0, as: UTF8.self) }
    }
}
