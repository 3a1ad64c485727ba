import SluiceEngine

/// Everything a task's operators measure, as one value copied out for the scraper: event
/// counters (`CountingOperator`), gauges, histograms and a source's backlog
/// (`MeasuredOperator`), in the families their kinds declare.
///
/// Built by `OperatorCounters` (task-thread figures at each publish, thread-safe ones at
/// scrape time) and turned into series by `TaskMetrics`. A family appears only once an
/// operator reported it, so no empty series is exported.
struct OperatorFigures: Sendable {
    var counters: [OperatorCounterKey: UInt64] = [:]
    var gauges: [GaugeReading] = []
    /// Cumulative since the operators opened.
    var histograms: [HistogramReading] = []
    /// Records the chain's source still has to read, when it knows.
    var backlog: Int64?
}
