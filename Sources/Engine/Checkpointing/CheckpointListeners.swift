import Synchronization

/// Completion notices of checkpoints, delivered off the task thread.
///
/// Thread-safe. Operators register in `open`; the TaskManager calls `checkpointCompleted` from
/// its JobManager connection as soon as the notice arrives, not through the task's mailbox,
/// because the task thread may be blocked on exactly what the notice releases (a sink's upsert
/// waiting for a row lock held by the prepared transaction that the notice commits).
/// Callbacks must not block.
public final class CheckpointListeners: Sendable {
    private let listeners = Mutex<[@Sendable (UInt64) -> Void]>([])

    public init() {}

    public func onComplete(_ listener: @escaping @Sendable (UInt64) -> Void) {
        listeners.withLock { $0.append(listener) }
    }

    public func checkpointCompleted(_ checkpointID: UInt64) {
        for listener in listeners.withLock({ $0 }) { listener(checkpointID) }
    }
}
