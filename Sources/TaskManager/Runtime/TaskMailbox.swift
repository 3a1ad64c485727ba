import DequeModule
import Foundation

/// The queue a subtask's thread works from: channel events, failures, cancellation.
///
/// Producers are event loops, other tasks' threads (local channels) and the TaskExecutor;
/// the single consumer is the task's own thread, which blocks in `take` while the queue is
/// empty. Bounded in practice by credit-based flow control: each channel has at most its
/// granted credits of buffers queued.
final class TaskMailbox: ChannelEventSink, @unchecked Sendable {  // all state guarded by `condition`
    private let condition = NSCondition()
    private var queue = Deque<Mail>()
    private var cancelled: String?

    func put(_ mail: Mail) {
        condition.lock()
        if case .cancel(let reason) = mail { cancelled = reason }
        queue.append(mail)
        condition.signal()
        condition.unlock()
    }

    /// The next mail, waiting at most until `deadline`; nil when the deadline passed first.
    func take(until deadline: Date) -> Mail? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty {
            if !condition.wait(until: deadline) { return nil }
        }
        return queue.removeFirst()
    }

    /// The next mail if one is queued, without waiting (sources poll between their reads).
    func poll() -> Mail? {
        condition.lock()
        defer { condition.unlock() }
        return queue.popFirst()
    }

    var cancellationReason: String? {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    func deliver(_ event: ChannelEvent, on channel: InputChannel) {
        put(.channel(event, channel))
    }

    func channelFailed(_ channel: InputChannel, error: any Error) {
        put(.channelFailed(channel, error))
    }
}
