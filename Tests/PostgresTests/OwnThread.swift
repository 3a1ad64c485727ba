import Foundation

/// Hands a non-Sendable value (a sink, which belongs to one task thread) to another thread.
/// Only for tests that leave the value alone until that thread is done with it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// Runs `body` on a thread of its own — it may block, e.g. on a row lock, without taking one of
/// the few threads of Swift's cooperative pool — and resumes with its result.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
