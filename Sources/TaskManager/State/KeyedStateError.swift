import Foundation

/// Why a keyed-state snapshot could not be written or a checkpoint's keyed state could not be
/// restored. Every case names the file (and on restore the checkpoint) involved, so an operator
/// knows which part of checkpoint storage to look at.
public enum KeyedStateError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A file-system call failed; `errno` is the C error code.
    case fileSystem(operation: String, path: String, errno: Int32)
    /// A file the checkpoint references is not in checkpoint storage.
    case missingCheckpointFile(path: String, checkpoint: String)
    /// The checkpoint's files are there but RocksDB rejects them (truncated, overwritten, bit rot).
    case corruptCheckpoint(checkpoint: String, file: String?, reason: String)
    /// A state handle that cannot have come from `KeyedStateSnapshotter` (bad path, bad
    /// shared-file entry, overlapping key groups).
    case invalidHandle(checkpoint: String, reason: String)

    public var description: String {
        switch self {
        case .fileSystem(let operation, let path, let code):
            return "\(operation) failed for \(path): \(String(cString: strerror(code))) (errno \(code)); "
                + "check that the checkpoint and state directories exist, are writable and have free space"
        case .missingCheckpointFile(let path, let checkpoint):
            return "checkpoint \(checkpoint) is incomplete: \(path) does not exist; the checkpoint directory "
                + "was cleaned up or is not mounted on this TaskManager — restore from another checkpoint "
                + "or make the same checkpoint storage visible to every TaskManager"
        case .corruptCheckpoint(let checkpoint, let file, let reason):
            return "checkpoint \(checkpoint) is corrupt\(file.map { " (\($0))" } ?? ""): \(reason); "
                + "restore from an older checkpoint"
        case .invalidHandle(let checkpoint, let reason):
            return "keyed-state handle of checkpoint \(checkpoint) is invalid: \(reason); "
                + "the checkpoint metadata was not written by this version of Sluice or was edited"
        }
    }
}
