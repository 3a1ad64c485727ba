import SluiceEngine

/// One key's state of a `top-n` operator in keyed state: its partition of candidate rows.
///
/// Decoded from the backend without a layout (`CachedKeyedValue` has none), so its rows are
/// checked against the input layout once, by `validate(_:)`, before the operator reads them;
/// the cache then keeps the checked value in memory, so a partition is validated once per load,
/// not per record.
struct TopNOperatorState: CachedKeyedValue {
    var partition = TopNPartitionState()
    private(set) var validated = true

    init() {}

    mutating func validate(_ layout: RowLayout) throws(RowFormatError) {
        guard !validated else { return }
        for index in partition.rows.indices {
            partition.rows[index] = try Row(validating: partition.rows[index].bytes, layout: layout)
        }
        validated = true
    }

    var isEmpty: Bool { partition.rows.isEmpty && partition.time == nil }

    var estimatedBytes: Int { 48 + partition.rows.reduce(0) { $0 + 40 + $1.bytes.count } }

    /// Format 1: version, time presence + time, emitted flag, row count, rows (length + bytes).
    func encoded() -> [UInt8] {
        var writer = BinaryWriter(capacity: estimatedBytes)
        writer.write(UInt8(1))
        if let time = partition.time {
            writer.write(UInt8(1))
            writer.write(signed: time)
        } else {
            writer.write(UInt8(0))
        }
        writer.write(partition.emitted ? 1 : 0)
        writer.write(varint: UInt64(partition.rows.count))
        for row in partition.rows { writer.write(bytes: row.bytes) }
        return writer.bytes
    }

    init(decoding bytes: [UInt8]) throws {
        var partition = TopNPartitionState()
        try bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            guard try reader.readByte() == 1 else { throw BinaryReader.Failure.malformed("unknown top-n state format") }
            if try reader.readByte() == 1 { partition.time = try reader.readSigned() }
            partition.emitted = try reader.readByte() == 1
            let count = try reader.readVarint()
            guard count <= 1 << 24 else { throw BinaryReader.Failure.malformed("\(count) rows in one key") }
            for _ in 0..<count { partition.rows.append(Row(unvalidated: try reader.readBytes())) }
        }
        self.partition = partition
        validated = false
    }
}
