import SluiceEngine
import Foundation
import Synchronization

/// The sink's measurements, shared between the threads that commit (the task thread for
/// at-least-once upserts and the final commit, the `SinkCommitter`'s queue for COMMIT PREPARED)
/// and the TaskManager's scraper, which reads `snapshot()`.
///
/// Thread-safe: one mutex, taken once per committed batch — never per row (a batch's latencies
/// are counted outside the lock and added in one step). Invariant: figures only grow while the
/// sink lives; a new task attempt has a new instance (the TaskManager carries totals across).
public final class SinkMetrics: Sendable {
    private let figures = Mutex(SinkFigures())

    public init() {}

    /// A copy of everything measured so far.
    public func snapshot() -> SinkFigures {
        figures.withLock { $0 }
    }

    /// A batch of `eventTimesMillis.count` rows became visible: its commit took `commitSeconds`
    /// (`preparedToCommitSeconds` since its PREPARE, for a two-phase commit).
    func committed(eventTimesMillis: [Int64], commitSeconds: Double, preparedToCommitSeconds: Double? = nil) {
        var batch = SinkFigures()
        batch.batchRows.observe(Double(eventTimesMillis.count))
        batch.commitSeconds.observe(commitSeconds)
        if let preparedToCommitSeconds { batch.preparedToCommitSeconds.observe(preparedToCommitSeconds) }
        batch.observeCommitted(eventTimesMillis: eventTimesMillis, committedAtMillis: Int64(Date().timeIntervalSince1970 * 1000))
        figures.withLock { $0.add(batch) }
    }
}
