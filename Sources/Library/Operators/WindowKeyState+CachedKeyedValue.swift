import SluiceEngine

/// One key's state of a `tumbling-window` operator in keyed state: a row of the key (its key
/// columns go into results) and the open windows.
struct WindowOperatorState: CachedKeyedValue {
    var keyRow: [UInt8] = []
    var windows = WindowKeyState()

    init() {}

    var isEmpty: Bool { windows.isEmpty }

    var estimatedBytes: Int { 64 + keyRow.count + windows.windows.count * (48 + 16 * (windows.windows.first?.values.count ?? 0)) }

    /// Format 1: version, key row (length + bytes), window count, then per window its start,
    /// emitted flag, aggregate count and per aggregate the value and the input count.
    func encoded() -> [UInt8] {
        var writer = BinaryWriter(capacity: estimatedBytes)
        writer.write(UInt8(1))
        writer.write(bytes: keyRow)
        writer.write(varint: UInt64(windows.windows.count))
        for window in windows.windows {
            writer.write(signed: window.start)
            writer.write(window.emitted ? 1 : 0)
            writer.write(varint: UInt64(window.values.count))
            for (value, count) in zip(window.values, window.counts) {
                writer.write(fixed64: value)
                writer.write(signed: count)
            }
        }
        return writer.bytes
    }

    init(decoding bytes: [UInt8]) throws {
        try self.init(reader: bytes)
    }

    private init(reader bytes: [UInt8]) throws {
        var state = WindowOperatorState()
        try bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            guard try reader.readByte() == 1 else { throw BinaryReader.Failure.malformed("unknown window state format") }
            state.keyRow = try reader.readBytes()
            let count = try reader.readVarint()
            guard count <= 1 << 20 else { throw BinaryReader.Failure.malformed("\(count) windows in one key") }
            for _ in 0..<count {
                let start = try reader.readSigned()
                let emitted = try reader.readByte() == 1
                let aggregates = try reader.readVarint()
                guard aggregates <= 1_024 else { throw BinaryReader.Failure.malformed("\(aggregates) aggregates") }
                var window = WindowAccumulator(start: start, aggregates: Int(aggregates))
                window.emitted = emitted
                for index in 0..<Int(aggregates) {
                    window.values[index] = try reader.readFixed64()
                    window.counts[index] = try reader.readSigned()
                }
                state.windows.windows.append(window)
            }
        }
        self = state
    }
}
