/// One label an operator adds to its task's labels on a reading (e.g. a Kafka partition).
public struct MetricLabel: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A gauge's current value, as an operator reports it (`MeasuredOperator.gauges()`).
public struct GaugeReading: Sendable, Equatable {
    public var family: MetricFamily
    public var labels: [MetricLabel]
    public var value: Double

    public init(_ family: MetricFamily, labels: [MetricLabel] = [], value: Double) {
        self.family = family
        self.labels = labels
        self.value = value
    }
}

/// A histogram's observations since the operator opened (cumulative; the TaskManager exports
/// the growth since its last scrape, so a new attempt continues the old one's series).
public struct HistogramReading: Sendable, Equatable {
    public var family: MetricFamily
    public var counts: HistogramCounts

    public init(_ family: MetricFamily, counts: HistogramCounts) {
        self.family = family
        self.counts = counts
    }
}
