/// Builds rows of one layout into a reused buffer: set each column (any order), then `finish`.
///
/// Owned by one thread. Columns left unset are NULL; setting a non-nullable column to NULL is
/// the caller's bug, caught by `finish` (a row never violates its schema). Reusing one builder
/// keeps its buffer's capacity, so building a row allocates only the returned row's bytes.
public struct RowBuilder {
    public let layout: RowLayout
    private var buffer: [UInt8]
    private var set: [Bool]

    public init(_ layout: RowLayout) {
        self.layout = layout
        buffer = []
        buffer.reserveCapacity(layout.fixedSize + 64)
        set = Array(repeating: false, count: layout.columnCount)
        reset()
    }

    /// Starts a new row: every column NULL.
    public mutating func reset() {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: repeatElement(0, count: layout.fixedSize))
        for index in 0..<layout.columnCount { buffer[index >> 3] |= 1 << UInt8(index & 7) }
        for index in set.indices { set[index] = false }
    }

    private mutating func store(_ index: Int, _ raw: UInt64) {
        buffer[index >> 3] &= ~(1 << UInt8(index & 7))
        set[index] = true
        let offset = layout.slotOffset(index)
        withUnsafeBytes(of: raw.littleEndian) { slot in
            for byte in 0..<8 { buffer[offset + byte] = slot[byte] }
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

    public mutating func setNull(_ index: Int) {
        let offset = layout.slotOffset(index)
        for byte in 0..<8 { buffer[offset + byte] = 0 }
        buffer[index >> 3] |= 1 << UInt8(index & 7)
        set[index] = true
    }

    /// The row built so far; the builder starts over. Throws when a non-nullable column is NULL.
    public mutating func finish() throws(RowFormatError) -> Row {
        for (index, column) in layout.schema.columns.enumerated() where !column.nullable {
            if buffer[index >> 3] & (1 << UInt8(index & 7)) != 0 {
                throw RowFormatError("column \(column.name) of \(layout.schema.name) is not nullable but was \(set[index] ? "set to NULL" : "not set")")
            }
        }
        // A copy of exactly the row's bytes: handing out `buffer` itself would leave every row
        // holding the builder's (grown) capacity, and make `reset` allocate a new buffer.
        let row = Row(trusted: Array(buffer))
        reset()
        return row
    }
}
