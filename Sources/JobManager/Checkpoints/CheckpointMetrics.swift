import Prometheus

/// One job's checkpoint series, labelled `job`: completed and failed counts, duration
/// histogram, and the last completed checkpoint's id, duration and size. All exist (at 0) from
/// the moment the job is created, so dashboards and alerts see them before the first checkpoint.
///
/// Thread-safe (Prometheus metrics are). Made once per job by `JobManagerMetrics.checkpoints(job:)`;
/// names and help texts live only here, so every job registers them identically.
public struct CheckpointMetrics: Sendable {
    static let durationBuckets: [Duration] = [.milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                              .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300)]

    private let completed: Counter
    private let failed: Counter
    private let duration: DurationHistogram
    private let lastDuration: Gauge
    private let lastSize: Gauge
    private let lastCompletedID: Gauge

    init(registry: PrometheusCollectorRegistry, job: String) {
        let labels = [("job", job)]
        func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "sluice", metricName: metric, unitName: unit, helpText: help)
        }
        completed = registry.makeCounter(
            descriptor: name("checkpoints_completed", "total", "Checkpoints completed (every task acknowledged, metadata written)."),
            labels: labels)
        failed = registry.makeCounter(
            descriptor: name("checkpoints_failed", "total", "Checkpoints aborted: declined, timed out, undeliverable or subsumed."),
            labels: labels)
        duration = registry.makeDurationHistogram(
            descriptor: name("checkpoint_duration", "seconds", "Time from a checkpoint's trigger to its last acknowledgement."),
            labels: labels, buckets: Self.durationBuckets)
        lastDuration = registry.makeGauge(
            descriptor: name("checkpoint_last_duration", "seconds", "End-to-end duration of the latest completed checkpoint."),
            labels: labels)
        lastSize = registry.makeGauge(
            descriptor: name("checkpoint_last_size", "bytes", "State size of the latest completed checkpoint."), labels: labels)
        lastCompletedID = registry.makeGauge(
            descriptor: name("checkpoint_last_completed_id", "",
                             "Id of the latest completed checkpoint (the restored one after a recovery; 0 before any)."),
            labels: labels)
    }

    /// The job starts from checkpoint `id` (a resume, or a JobManager restart): ids continue after it.
    func restored(from id: UInt64) {
        lastCompletedID.set(Double(id))
    }

    func checkpointCompleted(_ stats: CheckpointStats) {
        completed.increment()
        duration.record(.milliseconds(stats.endToEndDuration))
        lastDuration.set(Double(stats.endToEndDuration) / 1000)
        lastSize.set(Double(stats.stateSize))
        lastCompletedID.set(Double(stats.id))
    }

    func checkpointFailed() {
        failed.increment()
    }
}
