import Logging
import Synchronization

/// Takes incremental snapshots of one subtask's `RocksDBStateBackend` into checkpoint storage.
///
/// Owns the ledger of SST files already in storage (`SharedFileLedger`) and this instance's
/// random id, which keeps its shared-file names apart from every other subtask, attempt and
/// TaskManager. Threads: `snapshotSynchronously` runs on the task thread (it touches the
/// backend); the returned `PendingKeyedSnapshot` uploads on any thread; completion notices
/// arrive from the JobManager connection. The ledger is behind a mutex for that reason.
///
/// Storage layout (the JobManager relies on it): checkpoint n's private files of this task go
/// to `jobRoot/chk-<n>/<taskName>/<operatorID>/`, SST files to `jobRoot/shared/<unique name>`,
/// where a unique name is written once and never overwritten.
public final class KeyedStateSnapshotter: Sendable {
    let jobRoot: String
    let taskName: String
    let subtask: Int
    let logger: Logger
    /// Eight random hex digits naming this instance in shared-file names.
    private let instanceID: String
    private let ledger: Mutex<SharedFileLedger>

    /// - Parameters:
    ///   - jobRoot: the job's absolute checkpoint directory.
    ///   - taskName: `<vertexID>-<subtask>`.
    ///   - reusable: what `KeyedStateRestore.restore` returned: files of the restored checkpoint
    ///     that the first snapshot may reference instead of uploading.
    public init(jobRoot: String, taskName: String, subtask: Int, reusable: [String: String] = [:], logger: Logger) {
        self.jobRoot = jobRoot
        self.taskName = taskName
        self.subtask = subtask
        self.logger = logger
        instanceID = CheckpointFiles.randomHex()
        ledger = Mutex(SharedFileLedger(restored: reusable))
    }

    /// Task thread: writes the backend's cache to RocksDB and makes a RocksDB checkpoint (hard
    /// links, so it is fast) in `scratchDirectory/chk-<n>`. `scratchDirectory` must be on the
    /// database's file system and outside the database directory.
    public func snapshotSynchronously(_ backend: RocksDBStateBackend, checkpointID: UInt64, operatorID: String,
                                      scratchDirectory: String) throws -> PendingKeyedSnapshot {
        try backend.flush()
        let localDirectory = scratchDirectory + "/chk-\(checkpointID)"
        try CheckpointFiles.makeDirectories(scratchDirectory)
        try CheckpointFiles.removeTree(localDirectory)  // left over by a crashed earlier attempt
        try backend.database.createCheckpoint(at: localDirectory)
        return PendingKeyedSnapshot(snapshotter: self, checkpointID: checkpointID, operatorID: operatorID,
                                    keyGroups: backend.keyGroups, localDirectory: localDirectory)
    }

    /// Checkpoint `checkpointID` completed: later snapshots reference its SST files. Does not
    /// block; register it with the task's `CheckpointListeners`.
    public func checkpointCompleted(_ checkpointID: UInt64) {
        ledger.withLock { $0.checkpointCompleted(checkpointID) }
    }

    /// Checkpoint `checkpointID` was aborted: its files are never referenced.
    public func checkpointAborted(_ checkpointID: UInt64) {
        ledger.withLock { $0.checkpointAborted(checkpointID) }
    }

    var reusableFiles: [String: String] {
        ledger.withLock { $0.reusable }
    }

    func recordUploaded(checkpointID: UInt64, files: [String: String]) {
        ledger.withLock { $0.recordUploaded(checkpointID: checkpointID, files: files) }
    }

    /// The storage path (relative to `jobRoot`) a local SST file is uploaded to for a checkpoint.
    /// The checkpoint id is part of it so a file re-uploaded after an abort never rewrites a
    /// name the JobManager may be deleting.
    func sharedPath(for localName: String, checkpointID: UInt64) -> String {
        "\(KeyedStateHandle.sharedDirectory)/\(taskName)-\(instanceID)-\(checkpointID)-\(localName)"
    }
}
