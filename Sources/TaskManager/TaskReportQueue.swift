import DequeModule
import SluiceProtocol
import Synchronization

/// Messages for the JobManager (task state changes, checkpoint acks and declines), in order.
///
/// Filled from task threads and upload queues; drained by whichever JobManager session is live,
/// so messages queued while the JobManager is unreachable are delivered after reconnecting.
/// Unlike an `AsyncStream`, a consumer that is cancelled (its session ended) does not finish the
/// queue: the next session's consumer picks up where it stopped. Bounded: beyond `capacity` the
/// oldest messages are dropped (heartbeats carry every task's state, so the JobManager
/// reconciles, and an unacknowledged checkpoint times out).
public final class TaskReportQueue: Sendable {
    private struct State {
        var buffer = Deque<_ProtoEnvelope>()
        var waiter: CheckedContinuation<_ProtoEnvelope?, Never>?
    }

    private let state = Mutex(State())
    private let capacity: Int

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// Queues a message for the JobManager. Never blocks.
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

    /// The next message, waiting for one; nil when the calling task is cancelled (queued
    /// messages stay for the next consumer). One consumer at a time.
    func next() async -> _ProtoEnvelope? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<_ProtoEnvelope?, Never>) in
                let ready = state.withLock { state -> _ProtoEnvelope?? in
                    if let first = state.buffer.popFirst() { return .some(first) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
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
}
