import Dispatch
import Synchronization

/// Runs the blocking part of a submission (parsing and type-checking the spec, reading a
/// checkpoint's metadata) on a serial queue of its own, off the event loops and Swift's
/// cooperative pool, and answers within a deadline.
///
/// Serial on purpose: a client posting hostile specs in a loop occupies one thread, never the
/// pool the REST API and the JobManager's own work run on. The spec reader's limits bound each
/// parse; the deadline bounds the wait a caller sees even when the queue is backed up (the work
/// itself still runs to its end and its result is dropped).
enum SubmissionQueue {
    private static let queue = DispatchQueue(label: "sluice.submissions")

    /// The work did not finish within the deadline.
    struct Timeout: Error, CustomStringConvertible {
        let deadline: Duration
        var description: String { "the submission was not checked within \(deadline); try again later" }
    }

    static func run<Value: Sendable>(deadline: Duration, _ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let pending = Mutex<CheckedContinuation<Value, any Error>?>(continuation)
            @Sendable func finish(_ result: Result<Value, any Error>) {
                pending.withLock { $0.take() }?.resume(with: result)
            }
            queue.async { finish(Result { try work() }) }
            let (seconds, attoseconds) = deadline.components
            let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
                finish(.failure(Timeout(deadline: deadline)))
            }
        }
    }
}
