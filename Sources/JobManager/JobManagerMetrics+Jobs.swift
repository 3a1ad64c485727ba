import Prometheus

extension JobManagerMetrics {
    /// Restarts (failovers) of `job`; the series appears with the job's first restart, labelled
    /// by job id (a bounded set: jobs of one JobManager).
    func jobRestarted(job: String) {
        registry.makeCounter(name: "sluice_job_restarts_total", labels: [("job", job)],
                             help: "Times the job failed over and was redeployed from its latest checkpoint.").increment()
    }
}
