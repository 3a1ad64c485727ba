import DequeModule
import SluiceProtocol
import Synchronization

/// Task state changes, checkpoint acks and declines on their way to the JobManager, in order.
///
/// Filled from task threads (`send`); drained by whichever JobManager session is live (`next`).
/// The queue outlives sessions: a session that ends (its drain cancelled) leaves it open, and
/// a report whose write failed goes back to the front (`putBack`), so reports made while the
/// JobManager was unreachable are delivered after reconnecting. (An `AsyncStream` would not do:
/// cancelling the task awaiting it finishes the stream for good, so after the first reconnect
/// the JobManager would never hear of a task again.) Keeps the newest `capacity` reports;
/// heartbeats also carry the full task list. Thread-safe (one lock); one drainer at a time.
public final class TaskReportQueue: Sendable {
    private struct State {
        var buffer = Deque<_ProtoEnvelope>()
        var waiter: CheckedContinuation<_ProtoEnvelope?, Never>?
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
    }

    /// Queues a message for the JobManager (task state changes, checkpoint acks and declines).
    public func send(_ envelope: _ProtoEnvelope) {
        let waiter = state.withLock { state -> CheckedContinuation<_ProtoEnvelope?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.buffer.append(envelope)
            if state.buffer.count > capacity { state.buffer.removeFirst() }
            return nil
        }
        waiter?.resume(returning: envelope)
    }

    /// The oldest queued report, waiting until there is one; nil when the calling task is
    /// cancelled (the session ended) — the queue stays open for the next session.
    public func next() async -> _ProtoEnvelope? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> _ProtoEnvelope?? in
                    if let first = state.buffer.popFirst() { return .some(first) }
                    // Checked under the lock: a cancellation after it finds the waiter below.
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<_ProtoEnvelope?, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    /// Returns a report `next()` handed out but that could not be written, to the front, so
    /// the next session sends it first.
    public func putBack(_ envelope: _ProtoEnvelope) {
        state.withLock { $0.buffer.prepend(envelope) }
    }
}
