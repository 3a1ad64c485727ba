/// Builds rows of one layout into a reused buffer: set each column (any order), then `finish`.
///
/// Owned by one thread. Columns left unset are NULL; setting a non-nullable column to NULL is
/// the caller's bug, caught by `finish` (a row never violates its schema). Reusing one builder
/// keeps its buffer's capacity, so building a row allocates only the returned row's bytes.
///
/// On the hot path of every source and operator that makes rows: starting a row is one copy of
/// a template (the fixed part with every null bit set), a slot is one 8-byte store, and the
/// nullability check compares the null bits with a precomputed mask.
public struct RowBuilder {
    public let layout: RowLayout
    private var buffer: [UInt8]
    /// The fixed part of a row whose columns are all NULL.
    private let template: [UInt8]
    /// Per null-bit byte, the bits of the columns that may not be NULL.
    private let required: [UInt8]

    public init(_ layout: RowLayout) {
        self.layout = layout
        var template = [UInt8](repeating: 0, count: layout.fixedSize)
        var required = [UInt8](repeating: 0, count: layout.nullBytes)
        for (index, column) in layout.schema.columns.enumerated() {
            template[index >> 3] |= 1 << UInt8(index & 7)
            if !column.nullable { required[index >> 3] |= 1 << UInt8(index & 7) }
        }
        self.template = template
        self.required = required
        buffer = []
        buffer.reserveCapacity(layout.fixedSize + 64)
        reset()
    }

    /// Starts a new row: every column NULL.
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: template)
    }

    private mutating func store(_ index: Int, _ raw: UInt64) {
        let offset = layout.slotOffset(index)
        buffer.withUnsafeMutableBytes { bytes in
            bytes[index >> 3] &= ~(1 << UInt8(index & 7))
            bytes.storeBytes(of: raw.littleEndian, toByteOffset: offset, as: UInt64.self)
        }
    }

    public mutating func setInt64(_ index: Int, _ value: Int64) {
        precondition(layout.slots[index] == .int64, "column \(index) has no int64 slot")
        store(index, UInt64(bitPattern: value))
    }

    public mutating func setFloat64(_ index: Int, _ value: Double) {
        precondition(layout.slots[index] == .float64, "column \(index) is no float64")
        store(index, value.bitPattern)
    }

    public mutating func setBool(_ index: Int, _ value: Bool) {
        precondition(layout.slots[index] == .bool, "column \(index) is no bool")
        store(index, value ? 1 : 0)
    }

    /// A decimal of precision ≤ 18, rescaled to the column's scale by the caller.
    public mutating func setDecimal(_ index: Int, _ value: Decimal64) {
        guard case .decimal(_, let scale) = layout.schema.columns[index].type, scale == value.scale else {
            preconditionFailure("column \(index) is no decimal of scale \(value.scale)")
        }
        setInt64(index, value.unscaled)
    }

    /// A variable-length column from raw bytes (UTF-8 for a string).
    public mutating func setVariable(_ index: Int, _ bytes: some Collection<UInt8>) {
        precondition(layout.slots[index] == .variable, "column \(index) is not variable-length")
        let offset = buffer.count
        buffer.append(contentsOf: bytes)
        store(index, UInt64(offset) << 32 | UInt64(buffer.count - offset))
    }

    public mutating func setString(_ index: Int, _ value: String) {
        var value = value
        value.withUTF8 { setVariable(index, $0) }
    }

    /// Copies column `source` of `row` (same type) into column `index`, NULL included.
    public mutating func copy(_ index: Int, from row: Row, column source: Int, layout sourceLayout: RowLayout) {
        if row.isNull(source) { return setNull(index) }
        switch sourceLayout.slots[source] {
        case .variable: row.withVariable(source, sourceLayout) { setVariable(index, $0) }
        case .int64, .float64, .bool: store(index, row.rawSlot(source, sourceLayout))
        }
    }

    /// Copies every column of `row`, a row of `source`, into this row's first columns, in one
    /// pass instead of column by column: the null bits and slots are copied (each variable-length
    /// slot's offset moved to where the variable part lands) and the whole variable part is
    /// appended with one copy. `source`'s columns must be this layout's first ones, of the same
    /// types (`RowLayout.begins(with:)`; callers check once when they open). The row an operator
    /// widens (a lookup adding columns) costs about one `memcpy` this way.
    public mutating func copyColumns(of row: Row, layout source: RowLayout) {
        precondition(source.columnCount <= layout.columnCount, "\(source.schema.name) has more columns than \(layout.schema.name)")
        let end = buffer.count
        row.bytes.withUnsafeBytes { from in
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: from[source.fixedSize...]))
            // Old offsets count from the source row's start; its variable part now starts at `end`.
            let shift = UInt64(end - source.fixedSize) << 32
            buffer.withUnsafeMutableBytes { to in
                for index in 0..<source.columnCount {
                    let mask: UInt8 = 1 << UInt8(index & 7)
                    var raw = from.loadUnaligned(fromByteOffset: source.slotOffset(index), as: UInt64.self)
                    if from[index >> 3] & mask != 0 {
                        to[index >> 3] |= mask
                        raw = 0
                    } else {
                        to[index >> 3] &= ~mask
                        if source.slots[index] == .variable { raw = (UInt64(littleEndian: raw) + shift).littleEndian }
                    }
                    to.storeBytes(of: raw, toByteOffset: layout.slotOffset(index), as: UInt64.self)
                }
            }
        }
    }

    public mutating func setNull(_ index: Int) {
        let offset = layout.slotOffset(index)
        buffer.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: 0 as UInt64, toByteOffset: offset, as: UInt64.self)
            bytes[index >> 3] |= 1 << UInt8(index & 7)
        }
    }

    /// The row built so far; the builder starts over. Throws when a non-nullable column is NULL.
    public mutating func finish() throws(RowFormatError) -> Row {
        for byte in 0..<required.count where buffer[byte] & required[byte] != 0 {
            let bits = buffer[byte] & required[byte]
            let index = byte * 8 + bits.trailingZeroBitCount
            let column = layout.schema.columns[index]
            reset()
            throw RowFormatError("column \(column.name) of \(layout.schema.name) is not nullable but is NULL (unset or set to NULL)")
        }
        // A copy of exactly the row's bytes: handing out `buffer` itself would leave every row
        // holding the builder's (grown) capacity, and make `reset` allocate a new buffer.
        let row = Row(trusted: Array(buffer))
        reset()
        return row
    }
}
