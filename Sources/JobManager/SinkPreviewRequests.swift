import Synchronization
import SluiceProtocol

/// `SinkPreviewRequest`s sent to TaskManagers and waiting for their replies.
///
/// Thread-safe: `ask` runs in REST request tasks, `resolve` in the TaskManager sessions that
/// read the replies. Each request resumes exactly once: with its reply, or with nil when the
/// TaskManager cannot be reached or does not answer in time (the entry is removed first, so a
/// late reply finds nothing and is dropped; a reply cancels the request's timer).
public final class SinkPreviewRequests: Sendable {
    private struct Waiting {
        var continuation: CheckedContinuation<_ProtoSinkPreviewReply?, Never>
        var timer: Task<Void, Never>?
    }

    private let waiting = Mutex<[UInt64: Waiting]>([:])
    private let nextID = Atomic<UInt64>(1)

    public init() {}

    /// Sends `request` (its id is assigned here) over `connection`; the reply, or nil.
    func ask(_ request: _ProtoSinkPreviewRequest, via connection: any TaskManagerConnection, timeout: Duration) async -> _ProtoSinkPreviewReply? {
        let id = nextID.add(1, ordering: .relaxed).oldValue
        var numbered = request
        numbered.requestID = id
        let envelope = _ProtoEnvelope.with(.sinkPreviewRequest(numbered))
        return await withCheckedContinuation { continuation in
            waiting.withLock { $0[id] = Waiting(continuation: continuation) }
            let timer = Task {
                do {
                    try await connection.send(envelope)
                    try await Task.sleep(for: timeout)
                } catch is CancellationError {
                    return  // answered
                } catch {}
                self.finish(id, with: nil)
            }
            waiting.withLock { $0[id]?.timer = timer }
        }
    }

    /// A TaskManager answered; replies to unknown (timed-out) requests are dropped.
    public func resolve(_ reply: _ProtoSinkPreviewReply) {
        finish(reply.requestID, with: reply)
    }

    private func finish(_ id: UInt64, with reply: _ProtoSinkPreviewReply?) {
        guard let entry = waiting.withLock({ $0.removeValue(forKey: id) }) else { return }
        if reply != nil { entry.timer?.cancel() }
        entry.continuation.resume(returning: reply)
    }
}
