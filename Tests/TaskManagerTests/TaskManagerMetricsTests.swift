import Foundation
import Synchronization
import Testing
@testable import SluiceTaskManager

/// What a TaskManager's `/metrics` renders: names with Prometheus units, the subtask labels, and
/// counters fed from task atomics at scrape time.
@Suite struct TaskManagerMetricsTests {
    /// Stand-ins for a task's atomics.
    final class FakeTask: Sendable {
        let recordsIn = Atomic<UInt64>(0)
        let bytesIn = Atomic<UInt64>(0)
        let watermark = Atomic<Int64>(.min)

        var sources: TaskMetrics.Sources {
            .init(recordsIn: { self.recordsIn.load(ordering: .relaxed) }, recordsOut: { 7 },
                  bytesIn: { self.bytesIn.load(ordering: .relaxed) }, bytesOut: { 70 },
                  watermarkMillis: { self.watermark.load(ordering: .relaxed) }, backPressuredNanos: { 1_500_000_000 },
                  operatorFigures: { OperatorFigures(counters: [OperatorCounterKey(operatorID: "attribution", event: "attributed"): 3]) })
        }
    }

    private let labels = #"job="j1",vertex="attribution",subtask="1",taskmanager="tm-1""#

    /// The value of the series `name{labels}` in `text`, if rendered.
    private func value(_ name: String, labels: String, in text: String) -> Double? {
        let prefix = "\(name){\(labels)} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    private func registered(_ task: FakeTask, name: String = "attribution[1]#0") -> TaskManagerMetrics {
        let metrics = TaskManagerMetrics(taskManagerID: "tm-1")
        _ = metrics.register(name: name, job: "j1", vertex: "attribution", subtask: 1, sources: task.sources)
        return metrics
    }

    @Test func taskCountersCarryJobVertexSubtaskAndTaskManagerLabelsAndUnitSuffixes() {
        let task = FakeTask()
        task.recordsIn.store(42, ordering: .relaxed)
        task.bytesIn.store(4_200, ordering: .relaxed)
        let text = registered(task).render()
        #expect(value("sluice_task_records_in_total", labels: labels, in: text) == 42)
        #expect(value("sluice_task_records_out_total", labels: labels, in: text) == 7)
        #expect(value("sluice_task_input_bytes_total", labels: labels, in: text) == 4_200)
        #expect(value("sluice_task_output_bytes_total", labels: labels, in: text) == 70)
        #expect(value("sluice_task_back_pressured_seconds_total", labels: labels, in: text) == 1.5)
        #expect(text.contains("# TYPE sluice_task_records_in_total counter"))
        #expect(text.contains("# TYPE sluice_task_checkpoint_alignment_seconds histogram"))
    }

    @Test func countersGrowWithTheAtomicsBetweenScrapes() {
        let task = FakeTask()
        let metrics = registered(task)
        task.recordsIn.store(10, ordering: .relaxed)
        #expect(value("sluice_task_records_in_total", labels: labels, in: metrics.render()) == 10)
        task.recordsIn.store(25, ordering: .relaxed)
        #expect(value("sluice_task_records_in_total", labels: labels, in: metrics.render()) == 25)
    }

    @Test func aNewAttemptOfTheSameSubtaskContinuesItsCounters() {
        let first = FakeTask()
        first.recordsIn.store(100, ordering: .relaxed)
        let metrics = registered(first)
        metrics.forget(name: "attribution[1]#0")
        let second = FakeTask()
        second.recordsIn.store(5, ordering: .relaxed)
        _ = metrics.register(name: "attribution[1]#1", job: "j1", vertex: "attribution", subtask: 1, sources: second.sources)
        #expect(value("sluice_task_records_in_total", labels: labels, in: metrics.render()) == 105)
    }

    @Test func watermarkLagIsNaNBeforeTheFirstWatermarkAndWallClockMinusWatermarkAfter() throws {
        let task = FakeTask()
        let metrics = registered(task)
        let before = try #require(value("sluice_task_watermark_lag_seconds", labels: labels, in: metrics.render()))
        #expect(before.isNaN)
        let watermark = Int64(Date().timeIntervalSince1970 * 1000) - 60_000
        task.watermark.store(watermark, ordering: .relaxed)
        let text = metrics.render()
        let lag = try #require(value("sluice_task_watermark_lag_seconds", labels: labels, in: text))
        #expect(lag >= 60)
        #expect(value("sluice_task_watermark_seconds", labels: labels, in: text) == Double(watermark) / 1000)
    }

    @Test func operatorCountersAddOperatorAndEventLabels() {
        let text = registered(FakeTask()).render()
        #expect(value("sluice_operator_events_total", labels: labels + #",operator="attribution",event="attributed""#, in: text) == 3)
    }

    @Test func checkpointAcknowledgementsSetTheLastIdAndRecordDurations() {
        let metrics = TaskManagerMetrics(taskManagerID: "tm-1")
        let task = metrics.register(name: "attribution[1]#0", job: "j1", vertex: "attribution", subtask: 1, sources: FakeTask().sources)
        task.checkpointAcknowledged(id: 9, alignment: .milliseconds(3), synchronous: .milliseconds(2), asynchronous: .milliseconds(40),
                                    stateBytes: 2_048)
        let text = metrics.render()
        #expect(value("sluice_task_checkpoint_last_acknowledged_id", labels: labels, in: text) == 9)
        #expect(value("sluice_task_checkpoints_acknowledged_total", labels: labels, in: text) == 1)
        #expect(value("sluice_task_checkpoint_last_size_bytes", labels: labels, in: text) == 2_048)
        #expect(value("sluice_task_checkpoint_alignment_seconds_count", labels: labels, in: text) == 1)
    }

    @Test func processSeriesReportResidentMemoryAndCPUTime() throws {
        let text = TaskManagerMetrics(taskManagerID: "tm-1").render()
        let resident = try #require(value("sluice_process_resident_memory_bytes", labels: #"taskmanager="tm-1""#, in: text))
        #expect(resident > 0)
        #expect(value("sluice_process_cpu_seconds_total", labels: #"taskmanager="tm-1""#, in: text) ?? 0 > 0)
    }
}
