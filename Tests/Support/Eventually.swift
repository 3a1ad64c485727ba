import Foundation

/// Waits until `condition` holds, re-checking every `interval`, and fails with
/// `description` once `timeout` has passed. Tests wait for conditions, never for time.
public func waitUntil(
    _ description: String,
    timeout: Duration = .seconds(10),
    interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if (try? await condition()) == true { return }
        if clock.now >= deadline { throw TestSupportError.timedOut(description) }
        try await Task.sleep(for: interval)
    }
}

/// Like `waitUntil`, but returns the first non-nil value `probe` produces.
public func waitFor<T>(
    _ description: String,
    timeout: Duration = .seconds(10),
    interval: Duration = .milliseconds(50),
    _ probe: () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if let value = try? await probe() { return value }
        if clock.now >= deadline { throw TestSupportError.timedOut(description) }
        try await Task.sleep(for: interval)
    }
}
