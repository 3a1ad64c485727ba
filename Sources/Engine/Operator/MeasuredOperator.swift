/// An operator that reports gauges and histograms of the families its kind declares
/// (`OperatorKindDeclaration.measures`), beside the counters of `CountingOperator`. The
/// TaskManager reads them through this protocol only: it knows no operator type.
public protocol MeasuredOperator: AnyObject {
    /// Task thread, at the TaskManager's publish ticks (never per record): the gauges now.
    func gauges() -> [GaugeReading]
    /// For a source: records still waiting to be read (e.g. Kafka consumer lag), nil when not
    /// known; shown as the subtask's backlog. Task thread, like `gauges()`.
    var backlog: Int64? { get }
    /// A reader of the operator's histograms that is safe on any thread (the scraper calls it),
    /// taken once when the task starts; nil for an operator without histograms.
    var histogramReader: (@Sendable () -> [HistogramReading])? { get }
}

extension MeasuredOperator {
    public func gauges() -> [GaugeReading] { [] }
    public var backlog: Int64? { nil }
    public var histogramReader: (@Sendable () -> [HistogramReading])? { nil }
}
