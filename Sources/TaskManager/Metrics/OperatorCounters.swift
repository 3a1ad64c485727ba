import SluiceOperators
import Synchronization

/// The counters a task's operators keep as plain properties (attributed checkouts, cache hits,
/// dead letters, …), made readable from the scraping thread.
///
/// The operators' properties belong to the task thread, so the task thread copies them here in
/// `publish()` — at each flush tick, never per record — and the scraper reads the copy with
/// `snapshot()`. Invariant: only operators of known types contribute; an unknown operator
/// simply has no counters.
final class OperatorCounters: Sendable {
    private let readers: [@Sendable () -> [(OperatorCounterKey, UInt64)]]
    private let published = Mutex<[OperatorCounterKey: UInt64]>([:])

    /// `operators`: the chain's operator instances with their ids, source first.
    init(operators: [(id: String, instance: AnyObject)]) {
        readers = operators.compactMap { Self.reader(id: $0.id, instance: $0.instance) }
    }

    var isEmpty: Bool { readers.isEmpty }

    /// Task thread: copies the operators' current counts.
    func publish() {
        guard !readers.isEmpty else { return }
        var values: [OperatorCounterKey: UInt64] = [:]
        for reader in readers {
            for (key, value) in reader() { values[key] = value }
        }
        published.withLock { $0 = values }
    }

    /// Any thread: the counts as last published.
    func snapshot() -> [OperatorCounterKey: UInt64] {
        published.withLock { $0 }
    }

    /// Reads one operator's counters; the closure is only ever called on the task thread
    /// (from `publish`), which is what makes capturing the non-Sendable operator sound.
    private static func reader(id: String, instance: AnyObject) -> (@Sendable () -> [(OperatorCounterKey, UInt64)])? {
        @Sendable func key(_ event: String) -> OperatorCounterKey { OperatorCounterKey(operatorID: id, event: event) }
        @Sendable func count(_ value: Int) -> UInt64 { UInt64(max(0, value)) }
        switch instance {
        case let op as FirstClickAttributionOperator:
            nonisolated(unsafe) let op = op
            return { [(key("attributed"), count(op.attributed)), (key("unattributed"), count(op.unattributed)),
                      (key("late"), count(op.late))] }
        case let op as KafkaSourceOperator:
            nonisolated(unsafe) let op = op
            return { [(key("records_read"), op.recordsRead), (key("dead_lettered"), op.deadLettered)] }
        case let op as UserEnrichmentOperator:
            nonisolated(unsafe) let op = op
            return { [(key("cache_hits"), count(op.cacheHits)), (key("cache_misses"), count(op.cacheMisses)),
                      (key("unknown_users"), count(op.unknownUsers))] }
        case let op as PostgresSinkOperator:
            nonisolated(unsafe) let op = op
            return { [(key("rows_written"), count(op.rowsWritten))] }
        default:
            return nil
        }
    }
}
