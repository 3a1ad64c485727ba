import Foundation
import Prometheus
import SluiceEngine
import Synchronization

/// The series of one subtask attempt, labelled job, vertex, subtask, taskmanager.
///
/// Created at deploy by `TaskManagerMetrics.register`. The hot path never touches it: records
/// and bytes, the watermark and back-pressured time are atomics the task thread already keeps,
/// read by `refresh()` on the scraping thread. Checkpoint figures arrive once per checkpoint
/// from the upload queue (`checkpointAcknowledged`). Operator figures (counters, gauges,
/// histograms) come from `OperatorCounters`; a gauge's series appears once an operator
/// reported it. Thread-safe: the export state is behind a
/// mutex. A later attempt of the same subtask gets the same Prometheus series (the registry
/// returns existing metrics per label set), so counters keep growing across restarts.
final class TaskMetrics: Sendable {
    /// What the task publishes: read-only views of its atomics.
    struct Sources: Sendable {
        var recordsIn: @Sendable () -> UInt64
        var recordsOut: @Sendable () -> UInt64
        var bytesIn: @Sendable () -> UInt64
        var bytesOut: @Sendable () -> UInt64
        /// Event-time watermark in epoch milliseconds; `.min` before the first, `.max` at end of input.
        var watermarkMillis: @Sendable () -> Int64
        var backPressuredNanos: @Sendable () -> UInt64
        /// What the chain's operators measured (see `OperatorCounters`).
        var operatorFigures: @Sendable () -> OperatorFigures
    }

    private struct Exported {
        var recordsIn: ExportedCounter
        var recordsOut: ExportedCounter
        var bytesIn: ExportedCounter
        var bytesOut: ExportedCounter
        var backPressuredNanos: UInt64 = 0
        var operators: [OperatorCounterKey: ExportedCounter] = [:]
        var gauges: [GaugeKey: Gauge] = [:]
        /// Per family, the counts already added to `histograms`.
        var histograms: [String: HistogramCounts] = [:]
    }

    /// A gauge series: its family and the operator's own labels.
    struct GaugeKey: Hashable {
        var family: String
        var labels: [MetricLabel]
    }

    static let checkpointBuckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100),
                                                .milliseconds(250), .seconds(1), .seconds(2.5), .seconds(10), .seconds(60)]

    let labels: [(String, String)]
    private let registry: PrometheusCollectorRegistry
    private let histograms: HistogramFamilies
    private let sources: Sources
    private let exported: Mutex<Exported>
    private let backPressured: Counter
    private let watermark: Gauge
    private let watermarkLag: Gauge
    private let acknowledged: Counter
    private let lastCheckpoint: Gauge
    private let lastCheckpointSize: Gauge
    private let alignment: DurationHistogram
    private let synchronous: DurationHistogram
    private let asynchronous: DurationHistogram

    init(registry: PrometheusCollectorRegistry, histograms: HistogramFamilies, labels: [(String, String)], sources: Sources) {
        self.registry = registry
        self.histograms = histograms
        self.labels = labels
        self.sources = sources
        exported = Mutex(Exported(
            recordsIn: .init(registry.makeCounter(descriptor: MetricName.recordsIn, labels: labels)),
            recordsOut: .init(registry.makeCounter(descriptor: MetricName.recordsOut, labels: labels)),
            bytesIn: .init(registry.makeCounter(descriptor: MetricName.bytesIn, labels: labels)),
            bytesOut: .init(registry.makeCounter(descriptor: MetricName.bytesOut, labels: labels))))
        backPressured = registry.makeCounter(descriptor: MetricName.backPressured, labels: labels)
        watermark = registry.makeGauge(descriptor: MetricName.watermark, labels: labels)
        watermarkLag = registry.makeGauge(descriptor: MetricName.watermarkLag, labels: labels)
        acknowledged = registry.makeCounter(descriptor: MetricName.checkpointsAcknowledged, labels: labels)
        lastCheckpoint = registry.makeGauge(descriptor: MetricName.lastCheckpoint, labels: labels)
        lastCheckpointSize = registry.makeGauge(descriptor: MetricName.checkpointSize, labels: labels)
        alignment = registry.makeDurationHistogram(descriptor: MetricName.alignment, labels: labels, buckets: Self.checkpointBuckets)
        synchronous = registry.makeDurationHistogram(descriptor: MetricName.synchronous, labels: labels, buckets: Self.checkpointBuckets)
        asynchronous = registry.makeDurationHistogram(descriptor: MetricName.asynchronous, labels: labels, buckets: Self.checkpointBuckets)
        watermark.set(.nan)
        watermarkLag.set(.nan)
    }

    /// Copies the task's atomics into the series; called right before rendering.
    func refresh(now: Date = Date()) {
        let figures = sources.operatorFigures()
        exported.withLock { exported in
            exported.recordsIn.export(sources.recordsIn())
            exported.recordsOut.export(sources.recordsOut())
            exported.bytesIn.export(sources.bytesIn())
            exported.bytesOut.export(sources.bytesOut())
            let blocked = sources.backPressuredNanos()
            if blocked > exported.backPressuredNanos {
                backPressured.increment(by: Double(blocked - exported.backPressuredNanos) / 1e9)
                exported.backPressuredNanos = blocked
            }
            for (key, value) in figures.counters {
                if exported.operators[key] == nil {
                    let labels = self.labels + [("operator", key.operatorID), ("event", key.event)]
                    exported.operators[key] = ExportedCounter(registry.makeCounter(descriptor: MetricName.operatorCounter, labels: labels))
                }
                exported.operators[key]?.export(value)
            }
            export(figures, into: &exported)
        }
        let millis = sources.watermarkMillis()
        switch millis {
        case .min:
            break
        case .max:
            watermark.set(.infinity)
            watermarkLag.set(0.0)
        default:
            watermark.set(Double(millis) / 1000)
            watermarkLag.set(now.timeIntervalSince1970 - Double(millis) / 1000)
        }
    }

    /// Gauges and histograms of the operator figures (under the export lock).
    private func export(_ figures: OperatorFigures, into exported: inout Exported) {
        for reading in figures.gauges {
            let key = GaugeKey(family: reading.family.name, labels: reading.labels)
            let gauge = exported.gauges[key] ?? registry.makeGauge(
                descriptor: MetricNameDescriptor(metricName: reading.family.name, helpText: reading.family.help),
                labels: labels + reading.labels.map { ($0.name, $0.value) })
            exported.gauges[key] = gauge
            gauge.set(reading.value)
        }
        var totals: [String: HistogramReading] = [:]
        for reading in figures.histograms {
            if var total = totals[reading.family.name] {
                total.counts.add(reading.counts)
                totals[reading.family.name] = total
            } else {
                totals[reading.family.name] = reading
            }
        }
        for (name, total) in totals {
            let delta = exported.histograms[name].map { total.counts.subtracting($0) } ?? total.counts
            histograms.add(delta, to: name, help: total.family.help, labels: labels)
            exported.histograms[name] = total.counts
        }
    }

    /// Upload queue of the task, once per acknowledged checkpoint.
    func checkpointAcknowledged(id: UInt64, alignment: Duration, synchronous: Duration, asynchronous: Duration, stateBytes: UInt64) {
        acknowledged.increment()
        lastCheckpoint.set(Double(id))
        lastCheckpointSize.set(Double(stateBytes))
        self.alignment.record(alignment)
        self.synchronous.record(synchronous)
        self.asynchronous.record(asynchronous)
    }
}
