import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
@testable import SluiceTaskManager
import SluiceTestSupport
import Synchronization
import Testing

/// The series a TaskManager derives from its operators' figures: Kafka consumer lag per
/// partition, the user-cache hit ratio, the sink and end-to-end latency histograms — and label
/// values escaped per the exposition format.
@Suite struct OperatorFigureMetricsTests {
    /// What a task's operators published, settable by the test.
    final class FakeOperators: Sendable {
        let figures = Mutex(OperatorFigures())

        var sources: TaskMetrics.Sources {
            .init(recordsIn: { 0 }, recordsOut: { 0 }, bytesIn: { 0 }, bytesOut: { 0 }, watermarkMillis: { .min },
                  backPressuredNanos: { 0 }, operatorFigures: { self.figures.withLock { $0 } })
        }
    }

    private let labels = #"job="j1",vertex="sink",subtask="0",taskmanager="tm-1""#

    private func register(_ operators: FakeOperators, job: String = "j1", on metrics: TaskManagerMetrics = TaskManagerMetrics(taskManagerID: "tm-1"),
                          attempt: Int = 0) -> TaskManagerMetrics {
        _ = metrics.register(name: "sink[0]#\(attempt)", job: job, vertex: "sink", subtask: 0, sources: operators.sources)
        return metrics
    }

    /// The value of the series `name{labels}` in `text`, if rendered.
    private func value(_ name: String, labels: String, in text: String) -> Double? {
        let prefix = "\(name){\(labels)} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    private func committed(rows: Int, ageSeconds: Double) -> [HistogramReading] {
        var figures = SinkFigures()
        figures.batchRows.observe(Double(rows))
        figures.commitSeconds.observe(0.004)
        figures.preparedToCommitSeconds.observe(1.2)
        figures.endToEndLatencySeconds.observe(ageSeconds, times: UInt64(rows))
        return figures.readings
    }

    @Test func consumerLagIsAGaugePerTopicAndPartitionOnlyOnceKnown() {
        let operators = FakeOperators()
        let metrics = register(operators)
        #expect(!metrics.render().contains("sluice_kafka_consumer_lag_records{"))
        operators.figures.withLock { $0.gauges = [KafkaPartitionLag(topic: "clicks", partition: 3, records: 42).reading] }
        let text = metrics.render()
        #expect(value("sluice_kafka_consumer_lag_records", labels: labels + #",topic="clicks",partition="3""#, in: text) == 42)
        #expect(text.contains("# TYPE sluice_kafka_consumer_lag_records gauge"))
    }

    @Test func cacheHitRatioIsNaNUntilTheFirstLookupThenTheShareOfHits() throws {
        let operators = FakeOperators()
        let metrics = register(operators)
        operators.figures.withLock { $0.gauges = [GaugeReading(UserEnrichmentKind.cacheHitRatio, value: .nan)] }
        #expect(try #require(value("sluice_user_cache_hit_ratio", labels: labels, in: metrics.render())).isNaN)
        operators.figures.withLock { $0.gauges = [GaugeReading(UserEnrichmentKind.cacheHitRatio, value: 0.75)] }
        #expect(value("sluice_user_cache_hit_ratio", labels: labels, in: metrics.render()) == 0.75)
    }

    @Test func sinkHistogramsRenderCumulativeBucketsSumAndCount() {
        let operators = FakeOperators()
        let metrics = register(operators)
        operators.figures.withLock { $0.histograms = committed(rows: 120, ageSeconds: 17) }
        let text = metrics.render()
        #expect(text.contains("# TYPE sluice_sink_batch_rows histogram"))
        #expect(value("sluice_sink_batch_rows_count", labels: labels, in: text) == 1)
        #expect(value("sluice_sink_batch_rows_sum", labels: labels, in: text) == 120)
        #expect(value("sluice_sink_batch_rows_bucket", labels: labels + #",le="100.0""#, in: text) == 0)
        #expect(value("sluice_sink_batch_rows_bucket", labels: labels + #",le="250.0""#, in: text) == 1)
        #expect(value("sluice_sink_batch_rows_bucket", labels: labels + #",le="+Inf""#, in: text) == 1)
        #expect(value("sluice_sink_commit_seconds_count", labels: labels, in: text) == 1)
        #expect(value("sluice_sink_prepared_to_commit_seconds_count", labels: labels, in: text) == 1)
        #expect(value("sluice_end_to_end_latency_seconds_count", labels: labels, in: text) == 120)
        #expect(value("sluice_end_to_end_latency_seconds_bucket", labels: labels + #",le="15.0""#, in: text) == 0)
        #expect(value("sluice_end_to_end_latency_seconds_bucket", labels: labels + #",le="20.0""#, in: text) == 120)
    }

    @Test func aNewAttemptOfTheSinkContinuesItsHistograms() {
        let first = FakeOperators()
        first.figures.withLock { $0.histograms = committed(rows: 10, ageSeconds: 1) }
        let metrics = register(first)
        metrics.forget(name: "sink[0]#0")
        let second = FakeOperators()
        second.figures.withLock { $0.histograms = committed(rows: 5, ageSeconds: 1) }
        let text = register(second, on: metrics, attempt: 1).render()
        #expect(value("sluice_sink_batch_rows_count", labels: labels, in: text) == 2)
        #expect(value("sluice_end_to_end_latency_seconds_count", labels: labels, in: text) == 15)
    }

    @Test func labelValuesWithQuotesBackslashesAndLineFeedsAreEscaped() throws {
        let operators = FakeOperators()
        operators.figures.withLock { $0.histograms = committed(rows: 1, ageSeconds: 1) }
        let job = "we\"ird\\job\nname"
        let text = register(operators, job: job).render()
        let escaped = #"job="we\"ird\\job\nname",vertex="sink""#
        #expect(text.contains("sluice_task_records_in_total{\(escaped)"), "series of the registry")
        #expect(text.contains("sluice_sink_batch_rows_count{\(escaped)"), "histograms rendered by the TaskManager")
        #expect(!text.contains("ird\\job\nname"), "no raw line feed inside a label value")
        let parsed = try PrometheusText(text)
        #expect(parsed.samples("sluice_task_records_in_total", where: ["job": job]).count == 1, "a parser gets the name back")
        #expect(parsed.samples("sluice_end_to_end_latency_seconds_count", where: ["job": job]).map(\.value) == [1])
    }

    @Test func escapingLeavesPlainValuesAlone() {
        #expect(PrometheusLabels.escape("attribution-1") == "attribution-1")
        #expect(PrometheusLabels.escape(#"a"b\c"#) == #"a\"b\\c"#)
        #expect(PrometheusLabels.render([("job", "j"), ("topic", "x\ny")]) == #"job="j",topic="x\ny""#)
    }
}
