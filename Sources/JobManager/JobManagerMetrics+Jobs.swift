import Prometheus

extension JobManagerMetrics {
    /// Job `job` was submitted or recovered: its restart counter exists from now on, at 0, so
    /// dashboards and alerts see the series before the first failover. Labelled by job id (a
    /// bounded set: jobs of one JobManager).
    func jobRegistered(job: String) {
        _ = restarts(job: job)
    }

    /// Restarts (failovers) of `job`.
    func jobRestarted(job: String) {
        restarts(job: job).increment()
    }

    /// The registry hands back the same counter for the same job.
    private func restarts(job: String) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(namespace: "sluice", metricName: "job_restarts", unitName: "total",
                                             helpText: "Times the job failed over and was redeployed from its latest checkpoint."),
            labels: [("job", job)])
    }
}
