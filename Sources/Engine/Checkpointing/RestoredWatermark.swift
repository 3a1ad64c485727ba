/// The watermark a keyed operator keeps in its checkpointed state, so a restored subtask judges
/// lateness from where the checkpoint was instead of accepting everything until the first new
/// watermark. On restore every old subtask's value comes back; the lowest is safe for all keys.
public enum RestoredWatermark {
    public static func encode(_ watermark: Int64) -> [UInt8] {
        var writer = BinaryWriter(capacity: 10)
        writer.write(signed: watermark)
        return writer.bytes
    }

    /// The lowest watermark among the restored states; nil on a fresh start.
    public static func lowest(_ restored: RestoredOperatorState) throws -> Int64? {
        try restored.states.map { state in
            try state.withUnsafeBytes { bytes in
                var reader = BinaryReader(bytes)
                return try reader.readSigned()
            }
        }.min()
    }
}
