import Prometheus

/// A Prometheus counter fed from a monotonic source that is read at scrape time.
///
/// The source (a task's atomic) restarts at 0 with every task attempt, while the counter of the
/// same label set must never decrease; so each handle remembers what it exported last and adds
/// only the difference. Not thread-safe by itself: `TaskMetrics` calls `export` under its lock.
struct ExportedCounter {
    let counter: Counter
    private var exported: UInt64 = 0

    init(_ counter: Counter) {
        self.counter = counter
    }

    /// Adds what `current` grew by since the last call (nothing if it went backwards).
    mutating func export(_ current: UInt64) {
        guard current > exported else { return }
        counter.increment(by: Int64(clamping: current - exported))
        exported = current
    }
}
