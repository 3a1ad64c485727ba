/// Where each column of a schema sits in the binary row format (Flink's BinaryRowData shape):
///
/// ```
/// [null bits: ⌈n/8⌉ bytes][slot 0: 8 bytes]…[slot n-1: 8 bytes][variable-length part]
/// ```
///
/// A fixed-width value (`int64`, `timestamp`, `float64`, `bool`, a `decimal` of precision
/// ≤ 18 as its unscaled `int64`) lives in its slot; a variable-width one (`string`, `bytes`, a
/// wider decimal as text) stores `offset << 32 | length` in its slot, pointing into the variable
/// part. So any column is read at a known offset without decoding the others, and a row is one
/// contiguous byte string — the same bytes on the keyed exchange, in state and at the sink.
/// Integers are little-endian. A NULL column has its bit set and a zero slot.
///
/// A value computed once per schema (per edge), never per record. A class (immutable, so
/// `Sendable`) because every column read takes a layout: copying one is a single retain, where
/// a struct of a schema and arrays cost four retains and releases per copy on the record path.
public final class RowLayout: Sendable, Hashable {
    public enum Slot: Sendable, Hashable {
        case int64, float64, bool, variable
    }

    public let schema: Schema
    public let slots: [Slot]
    /// Bytes of the null bit set.
    public let nullBytes: Int
    /// Bytes before the variable-length part.
    public let fixedSize: Int
    /// The index of the schema's event-time column.
    public let eventTimeColumn: Int?

    public init(_ schema: Schema) {
        self.schema = schema
        eventTimeColumn = schema.eventTime.flatMap(schema.index(of:))
        slots = schema.columns.map { Self.slot(for: $0.type) }
        nullBytes = (schema.columns.count + 7) / 8
        fixedSize = nullBytes + 8 * schema.columns.count
    }

    public var columnCount: Int { slots.count }

    /// Byte offset of column `index`'s slot from the row's start.
    @inlinable
    public func slotOffset(_ index: Int) -> Int { nullBytes + 8 * index }

    public static func slot(for type: ColumnType) -> Slot {
        switch type {
        case .int64, .timestamp: .int64
        case .decimal(let precision, _): precision <= Decimal64.maxPrecision ? .int64 : .variable
        case .float64: .float64
        case .bool: .bool
        case .string, .bytes: .variable
        }
    }

    /// True when `other`'s columns are this layout's first columns, of the same types (and
    /// nullable here where they are there), so a row of `other` can be copied into a row of this
    /// one slot for slot (`RowBuilder.copyColumns`).
    public func begins(with other: RowLayout) -> Bool {
        let prefix = other.schema.columns
        return prefix.count <= schema.columns.count && zip(prefix, schema.columns).allSatisfy { $0.type == $1.type && (!$0.nullable || $1.nullable) }
    }

    public static func == (lhs: RowLayout, rhs: RowLayout) -> Bool { lhs.schema == rhs.schema }

    public func hash(into hasher: inout Hasher) { hasher.combine(schema) }
}
