import Foundation
import Prometheus
import Synchronization

/// The TaskManager's Prometheus registry: one per process, served by `MetricsHTTPServer`.
///
/// Owns the per-task series (`TaskMetrics`, created at deploy and kept after the task ended so
/// its final counts stay visible), the process series, and the histograms it renders itself
/// (`HistogramFamilies`: sink batches, commits, end-to-end latency). Thread-safe: deploys register from the
/// connector's task, scrapes render on event loops; the table of tasks and the CPU export state
/// are behind a mutex. Invariant: series are created once per label set (the registry hands back
/// the existing metric), and counters only grow, also across task attempts.
public final class TaskManagerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let taskManagerID: String
    private let process: ProcessMetrics
    private let histograms = HistogramFamilies()
    private let tasks = Mutex<[String: TaskMetrics]>([:])
    private let exportedCPU = Mutex<Double>(0)

    public init(taskManagerID: String, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        self.taskManagerID = taskManagerID
        process = ProcessMetrics(registry: registry, labels: [("taskmanager", taskManagerID)])
    }

    /// The label set of a subtask's series.
    func labels(job: String, vertex: String, subtask: Int) -> [(String, String)] {
        [("job", job), ("vertex", vertex), ("subtask", "\(subtask)"), ("taskmanager", taskManagerID)]
    }

    /// Series of the task attempt `name` (replacing an earlier registration under that name).
    func register(name: String, job: String, vertex: String, subtask: Int, sources: TaskMetrics.Sources) -> TaskMetrics {
        let metrics = TaskMetrics(registry: registry, histograms: histograms, labels: labels(job: job, vertex: vertex, subtask: subtask), sources: sources)
        tasks.withLock { $0[name] = metrics }
        return metrics
    }

    /// The task attempt `name` is gone for good: its counters are exported a last time and it is
    /// no longer read (its series keep their values; a later attempt continues them).
    func forget(name: String) {
        let metrics = tasks.withLock { $0.removeValue(forKey: name) }
        metrics?.refresh()
    }

    /// The Prometheus text exposition of every series, with task and process figures read now.
    public func render() -> String {
        let current = tasks.withLock { Array($0.values) }
        let now = Date()
        for task in current { task.refresh(now: now) }
        exportedCPU.withLock { process.refresh(exportedCPU: &$0) }
        return registry.emitToString() + histograms.render()
    }
}
