/// Why reading or writing checkpoint storage failed, with the path involved and how to fix it.
public enum CheckpointStorageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The storage root must be absolute: TaskManagers on other hosts resolve the same path.
    case relativeRoot(String)
    /// Neither a `chk-<n>` directory with `_metadata` nor a `_metadata` file exists at the path.
    case missing(path: String)
    /// The metadata file exists but could not be read (permissions, I/O error).
    case unreadable(path: String, reason: String)
    /// The metadata was written by another format version of Sluice.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// The metadata file is not valid checkpoint metadata JSON.
    case malformed(path: String, reason: String)
    /// Writing the metadata durably failed at `step` (create, write, fsync, rename, …).
    case writeFailed(path: String, step: String, reason: String)

    public var description: String {
        switch self {
        case .relativeRoot(let root):
            return "checkpoint storage root '\(root)' is relative; configure checkpoints.dir as an absolute path every TaskManager can reach"
        case .missing(let path):
            return "no checkpoint at '\(path)': pass a chk-<n> directory that holds a _metadata file, or the _metadata file itself"
        case .unreadable(let path, let reason):
            return "cannot read checkpoint metadata '\(path)': \(reason); check the file's permissions and the storage mount"
        case .unsupportedVersion(let path, let found, let supported):
            return "checkpoint metadata '\(path)' has format version \(found), this Sluice reads version \(supported); restore it with the Sluice version that wrote it"
        case .malformed(let path, let reason):
            return "checkpoint metadata '\(path)' is not valid: \(reason); the file is damaged, restore from an older chk-<n> directory"
        case .writeFailed(let path, let step, let reason):
            return "writing checkpoint metadata '\(path)' failed at \(step): \(reason); check free space and permissions of the checkpoint directory"
        }
    }
}
