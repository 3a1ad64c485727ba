/// Which SST files of one RocksDB instance are in checkpoint storage and may be referenced by the
/// next snapshot instead of uploaded again. Pure bookkeeping, no I/O.
///
/// Why only completed checkpoints count: files uploaded for checkpoint n belong to n until it
/// completes; if n is aborted the JobManager deletes them, and a later checkpoint that merely
/// referenced them could never be restored. So `reusable` is exactly the SST set of the last
/// completed checkpoint (or of the checkpoint the backend was restored from), while each
/// in-flight checkpoint's set waits in `pending` until its completion notice (the rule Flink's
/// incremental RocksDB snapshots follow too).
///
/// Invariants: `reusable` only changes to the set of a checkpoint newer than the one it holds;
/// at most `pendingLimit` sets are pending, so missing completion notices cannot grow it.
struct SharedFileLedger: Sendable, Equatable {
    /// Local SST file name → shared path relative to the job's checkpoint root (`shared/<unique>`).
    typealias Files = [String: String]

    private(set) var reusable: Files
    private var completedCheckpoint: UInt64?
    private var pending: [UInt64: Files] = [:]
    private let pendingLimit: Int

    init(restored: Files = [:], pendingLimit: Int = 16) {
        reusable = restored
        self.pendingLimit = pendingLimit
    }

    /// Checkpoint `checkpointID` references `files` (every SST of the snapshot, uploaded or reused).
    mutating func recordUploaded(checkpointID: UInt64, files: Files) {
        pending[checkpointID] = files
        while pending.count > pendingLimit, let oldest = pending.keys.min() { pending[oldest] = nil }
    }

    /// The checkpoint completed: its files become the reusable set, and every older pending
    /// checkpoint is subsumed (it will never complete).
    mutating func checkpointCompleted(_ checkpointID: UInt64) {
        if let files = pending[checkpointID], completedCheckpoint.map({ checkpointID > $0 }) ?? true {
            reusable = files
            completedCheckpoint = checkpointID
        }
        pending = pending.filter { $0.key > checkpointID }
    }

    /// The checkpoint was aborted: its files may be deleted, so they are never referenced.
    mutating func checkpointAborted(_ checkpointID: UInt64) {
        pending[checkpointID] = nil
    }
}
