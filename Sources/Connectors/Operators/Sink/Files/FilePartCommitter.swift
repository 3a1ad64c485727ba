import SluiceEngine
import Foundation
import Logging
import Synchronization

/// Gives a `file-sink` subtask's closed part files their final names when their checkpoint
/// completes, and on restore.
///
/// Thread-safe: `closed`, `snapshot` and `commitAll` run on the task thread, `completed` on the
/// TaskManager's connection thread (a completion notice); a rename is one quick syscall. The
/// ledger is the state the sink checkpoints. Invariant: a part is renamed only after the
/// checkpoint that closed it completed (or at the end of a bounded input), never twice.
final class FilePartCommitter: Sendable {
    private let ledger = Mutex(FilePartLedger())
    private let directory: URL
    private let logger: Logger
    let committed = Atomic<Int>(0)

    init(directory: URL, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    func closed(_ part: FilePartLedger.Part) {
        ledger.withLock { $0.closed(part) }
    }

    /// The parts not committed yet, as the checkpoint stores them.
    func snapshot() -> [UInt8] {
        ledger.withLock { $0.encoded() }
    }

    /// Checkpoint `id` completed: its parts and older ones get their final names.
    func completed(_ id: UInt64) {
        for part in ledger.withLock({ $0.commitThrough(id) }) {
            do {
                try commit(part)
            } catch {
                logger.error("could not give a part file its final name", metadata: ["file": "\(part.temporary)", "error": "\(error)"])
            }
        }
    }

    /// Everything closed so far (the end of a bounded input, or parts a restored checkpoint holds).
    func commitAll() throws {
        for part in ledger.withLock({ $0.commitThrough(.max) }) { try commit(part) }
    }

    /// Restore: the parts in the restored checkpoint's states belong to it (it completed), so
    /// they are committed now, whatever became of the completion notice.
    func restore(_ states: [[UInt8]]) throws {
        for state in states {
            for part in try FilePartLedger.decode(state).parts { try commit(part) }
        }
    }

    private func commit(_ part: FilePartLedger.Part) throws {
        let temporary = directory.appendingPathComponent(part.temporary).path
        let final = directory.appendingPathComponent(part.final).path
        if rename(temporary, final) == 0 {
            committed.add(1, ordering: .relaxed)
            return
        }
        let reason = String(cString: strerror(errno))
        // Committed before (a restore after the notice was handled): nothing to do.
        if FileManager.default.fileExists(atPath: final) && !FileManager.default.fileExists(atPath: temporary) { return }
        throw FileSinkError.commitFailed(temporary: temporary, final: final, reason: reason)
    }
}

/// Why the file sink could not do its part; each says what to check.
enum FileSinkError: Error, CustomStringConvertible {
    case commitFailed(temporary: String, final: String, reason: String)
    case unwritable(path: String, reason: String)

    var description: String {
        switch self {
        case .commitFailed(let temporary, let final, let reason):
            return "cannot rename the part file \(temporary) to \(final): \(reason); a checkpointed part file was removed or "
                + "its directory is not writable"
        case .unwritable(let path, let reason):
            return "cannot write \(path): \(reason); check params.path and that the TaskManager may write there"
        }
    }
}
