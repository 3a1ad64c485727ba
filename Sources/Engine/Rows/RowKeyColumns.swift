/// The key columns of a keyed exchange or keyed state over rows: which columns, and how their
/// values become the bytes that are hashed into key groups and stored under.
///
/// Encoding: per column, a NULL flag byte, then an 8-byte little-endian slot for fixed-width
/// types or the value's bytes followed by its 4-byte length for variable-width ones — so
/// (`"1"`, `"23"`) and (`"12"`, `"3"`) differ, and equal values always give equal bytes. A value
/// built once per edge; `write` allocates nothing once `bytes` has grown.
public struct RowKeyColumns: Sendable, Hashable {
    public let layout: RowLayout
    public let columns: [Int]

    /// Refuses names the layout lacks.
    public init(_ names: [String], in layout: RowLayout) throws(RowFormatError) {
        var columns: [Int] = []
        for name in names {
            guard let index = layout.schema.index(of: name) else {
                throw RowFormatError("key column '\(name)' is not in \(layout.schema)")
            }
            columns.append(index)
        }
        self.layout = layout
        self.columns = columns
    }

    public func write(_ row: Row, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        for column in columns {
            guard !row.isNull(column) else {
                bytes.append(1)
                continue
            }
            bytes.append(0)
            if layout.slots[column] == .variable {
                row.withVariable(column, layout) { value in
                    bytes.append(contentsOf: value)
                    withUnsafeBytes(of: UInt32(value.count).littleEndian) { bytes.append(contentsOf: $0) }
                }
            } else {
                withUnsafeBytes(of: row.rawSlot(column, layout).littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
    }
}
