import SluiceEngine
import Synchronization

/// The figures a task's operators keep (declared counters, gauges, histograms, a source's
/// backlog), made readable from the scraping thread, read through `CountingOperator` and
/// `MeasuredOperator` only.
///
/// Most are plain properties that belong to the task thread, so the task thread copies them here
/// in `publish()` — at each flush tick, never per record — and the scraper reads the copy with
/// `snapshot()`. Histograms are read directly at scrape time through the thread-safe reader an
/// operator hands out (`MeasuredOperator.histogramReader`).
final class OperatorCounters: Sendable {
    private let readers: [@Sendable (inout OperatorFigures) -> Void]
    private let live: [@Sendable (inout OperatorFigures) -> Void]
    private let published = Mutex(OperatorFigures())

    /// `operators`: the chain's operator instances with their ids and declared counters, source first.
    init(operators: [(id: String, instance: AnyObject, metrics: [OperatorKindDeclaration.Metric])]) {
        readers = operators.compactMap { Self.reader(id: $0.id, instance: $0.instance, declared: $0.metrics) }
        live = operators.compactMap { entry in
            guard let reader = (entry.instance as? any MeasuredOperator)?.histogramReader else { return nil }
            return { $0.histograms += reader() }
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
    private static func reader(id: String, instance: AnyObject, declared: [OperatorKindDeclaration.Metric])
        -> (@Sendable (inout OperatorFigures) -> Void)? {
        @Sendable func key(_ event: String) -> OperatorCounterKey { OperatorCounterKey(operatorID: id, event: event) }
        @Sendable func count(_ value: Int) -> UInt64 { UInt64(max(0, value)) }
        var parts: [@Sendable (inout OperatorFigures) -> Void] = []
        // The counters the kind declares, read through the protocol.
        if let op = instance as? any CountingOperator {
            nonisolated(unsafe) let op = op
            let events = declared.map(\.event)
            parts.append { figures in
                for event in events { if let value = op.count(of: event) { figures.counters[key(event)] = count(value) } }
            }
        }
        // Gauges and backlog, in the families the kind declares.
        if let op = instance as? any MeasuredOperator {
            nonisolated(unsafe) let op = op
            parts.append { figures in
                figures.gauges += op.gauges()
                if let backlog = op.backlog { figures.backlog = (figures.backlog ?? 0) &+ backlog }
            }
        }
        guard !parts.isEmpty else { return nil }
        let all = parts
        return { figures in for part in all { part(&figures) } }
    }
}
