import SluiceOperators
import Synchronization

/// The figures a task's operators keep (attributed checkouts, cache hits, dead letters, Kafka
/// lag, …), made readable from the scraping thread.
///
/// Most are plain properties that belong to the task thread, so the task thread copies them here
/// in `publish()` — at each flush tick, never per record — and the scraper reads the copy with
/// `snapshot()`. The sink's histograms are already thread-safe (`SinkMetrics`, written by its
/// committer) and are read directly at scrape time. Invariant: only operators of known types
/// contribute; an unknown operator simply has no figures.
final class OperatorCounters: Sendable {
    private let readers: [@Sendable (inout OperatorFigures) -> Void]
    private let live: [@Sendable (inout OperatorFigures) -> Void]
    private let published = Mutex(OperatorFigures())

    /// `operators`: the chain's operator instances with their ids, source first.
    init(operators: [(id: String, instance: AnyObject)]) {
        readers = operators.compactMap { Self.reader(id: $0.id, instance: $0.instance) }
        live = operators.compactMap { entry in
            guard let sink = entry.instance as? PostgresSinkOperator else { return nil }
            let metrics = sink.metrics
            return { $0.sink = metrics.snapshot() }
        }
    }

    var isEmpty: Bool { readers.isEmpty && live.isEmpty }

    /// Task thread: copies the operators' current figures.
    func publish() {
        guard !readers.isEmpty else { return }
        var figures = OperatorFigures()
        for reader in readers { reader(&figures) }
        published.withLock { $0 = figures }
    }

    /// Any thread: the task-thread figures as last published, and the thread-safe ones as of now.
    func snapshot() -> OperatorFigures {
        var figures = published.withLock { $0 }
        for reader in live { reader(&figures) }
        return figures
    }

    /// Reads one operator's figures; the closure is only ever called on the task thread
    /// (from `publish`), which is what makes capturing the non-Sendable operator sound.
    private static func reader(id: String, instance: AnyObject) -> (@Sendable (inout OperatorFigures) -> Void)? {
        @Sendable func key(_ event: String) -> OperatorCounterKey { OperatorCounterKey(operatorID: id, event: event) }
        @Sendable func count(_ value: Int) -> UInt64 { UInt64(max(0, value)) }
        switch instance {
        case let op as FirstClickAttributionOperator:
            nonisolated(unsafe) let op = op
            return { figures in
                figures.counters[key("attributed")] = count(op.attributed)
                figures.counters[key("unattributed")] = count(op.unattributed)
                figures.counters[key("late")] = count(op.late)
            }
        case let op as KafkaSourceOperator:
            nonisolated(unsafe) let op = op
            return { figures in
                figures.counters[key("records_read")] = op.recordsRead
                figures.counters[key("dead_lettered")] = op.deadLettered
                figures.consumerLag = op.consumerLag
            }
        case let op as UserEnrichmentOperator:
            nonisolated(unsafe) let op = op
            return { figures in
                figures.counters[key("cache_hits")] = count(op.cacheHits)
                figures.counters[key("cache_misses")] = count(op.cacheMisses)
                figures.counters[key("unknown_users")] = count(op.unknownUsers)
                figures.cacheHitRatio = op.cacheHitRatio
            }
        case let op as PostgresSinkOperator:
            nonisolated(unsafe) let op = op
            return { figures in figures.counters[key("rows_written")] = count(op.rowsWritten) }
        default:
            return nil
        }
    }
}
