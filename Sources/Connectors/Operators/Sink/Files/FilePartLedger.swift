import SluiceEngine
/// The part files of a `file-sink` subtask that are closed but not yet committed: each was
/// closed at a checkpoint's barrier and gets its final name once that checkpoint completes.
///
/// A value, no I/O: the operator renames what `commitThrough` returns. It is what the sink
/// stores in a checkpoint, so a restore commits the parts of the checkpoint it restores (they
/// belong to it) even if the completion notice never arrived. Invariant: parts are kept in the
/// order they were closed; a part leaves only through `commitThrough` or `all`.
struct FilePartLedger: Sendable, Equatable {
    struct Part: Sendable, Equatable {
        /// The checkpoint whose barrier closed it.
        var checkpointID: UInt64
        /// The hidden in-progress file name, and the final one (both in the sink's directory).
        var temporary: String
        var final: String
    }

    private(set) var parts: [Part] = []

    mutating func closed(_ part: Part) {
        parts.append(part)
    }

    /// Checkpoint `id` completed: the parts of it and of older checkpoints, removed from the ledger.
    mutating func commitThrough(_ id: UInt64) -> [Part] {
        let due = parts.filter { $0.checkpointID <= id }
        parts.removeAll { $0.checkpointID <= id }
        return due
    }

    func encoded() -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(varint: UInt64(parts.count))
        for part in parts {
            writer.write(varint: part.checkpointID)
            writer.write(part.temporary)
            writer.write(part.final)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> FilePartLedger {
        try bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            var ledger = FilePartLedger()
            let count = try reader.readVarint()
            guard count <= 1_000_000 else { throw BinaryReader.Failure.malformed("\(count) part files in one state") }
            for _ in 0..<count {
                ledger.parts.append(Part(checkpointID: try reader.readVarint(), temporary: try reader.readString(),
                                         final: try reader.readString()))
            }
            guard reader.isAtEnd else { throw BinaryReader.Failure.malformed("\(reader.remaining) trailing bytes") }
            return ledger
        }
    }
}
