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
        do {
            if try await condition() { return }
        } catch let error as any EndsWaiting {
            throw error
        } catch {}  // not yet answerable (e.g. the server is still starting): ask again
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
        do {
            if let value = try await probe() { return value }
        } catch let error as any EndsWaiting {
            throw error
        } catch {}  // not yet answerable: ask again
        if clock.now >= deadline { throw TestSupportError.timedOut(description) }
        try await Task.sleep(for: interval)
    }
}

/// An error that ends `waitUntil`/`waitFor` at once instead of being retried, for outcomes that
/// can no longer turn into the awaited one (e.g. the job failed while a test waits for FINISHED).
public protocol EndsWaiting: Error {}
