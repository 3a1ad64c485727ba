import SluiceJobManager
import SluiceProtocol
import Synchronization

/// Records what the coordinator sends to which TaskManager; sending to an `unreachable` one throws.
final class RecordingMessenger: CheckpointMessenger {
    struct Unreachable: Error {}

    private let sent = Mutex<[(taskManager: String, envelope: _ProtoEnvelope)]>([])
    let unreachable = Mutex<Set<String>>([])

    func send(_ envelope: _ProtoEnvelope, to taskManager: String) async throws {
        if unreachable.withLock({ $0.contains(taskManager) }) { throw Unreachable() }
        sent.withLock { $0.append((taskManager, envelope)) }
    }

    func triggers() -> [(taskManager: String, message: _ProtoTriggerCheckpoint)] {
        sent.withLock { $0 }.compactMap { entry in
            guard case .triggerCheckpoint(let message)? = entry.envelope.body else { return nil }
            return (entry.taskManager, message)
        }
    }

    func completions() -> [(taskManager: String, message: _ProtoNotifyCheckpointComplete)] {
        sent.withLock { $0 }.compactMap { entry in
            guard case .notifyCheckpointComplete(let message)? = entry.envelope.body else { return nil }
            return (entry.taskManager, message)
        }
    }

    func aborts() -> [(taskManager: String, message: _ProtoNotifyCheckpointAborted)] {
        sent.withLock { $0 }.compactMap { entry in
            guard case .notifyCheckpointAborted(let message)? = entry.envelope.body else { return nil }
            return (entry.taskManager, message)
        }
    }

    /// The id of the latest triggered checkpoint.
    var lastTriggeredID: UInt64? { triggers().last?.message.checkpointID }
}
