import Foundation
import Logging
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
import SluiceJobManager
import SluiceLibrary
import SluiceTestSupport
import Testing

/// The JobManager's per-job series exist from the moment a job is created (so dashboards and
/// alerts see them at 0 before the first event), and the last completed checkpoint id follows
/// completions.
@Suite struct JobManagerMetricsTests {
    private func value(_ series: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
    }

    @Test func aCreatedJobHasRestartAndCheckpointSeriesAtZero() throws {
        let metrics = JobManagerMetrics()
        let directory = try TemporaryDirectory(prefix: "sluice-jm-metrics")
        defer { directory.remove() }
        let spec = try JobSpecParser.parse(yaml: """
            name: metrics
            parallelism: 1
            checkpoints: {interval-ms: 1000}
            sources:
              - {id: clicks, kind: kafka-source, params: {topic: clicks, format: click}}
            sinks:
              - {id: sink, kind: blackhole-sink, inputs: [clicks]}
            """, catalog: BuiltInKinds.catalog)
        let logger = Logger(label: "sluice.test.jobmaster")
        let services = JobMaster.Services(membership: Membership(heartbeatTimeout: .seconds(5), metrics: metrics, logger: logger),
                                          metrics: metrics, checkpointsDirectory: directory.url.path)
        _ = try JobMaster(id: "job-7", spec: spec, services: services, logger: logger)
        let text = metrics.render()
        #expect(value(#"sluice_job_restarts_total{job="job-7"}"#, in: text) == 0)
        #expect(value(#"sluice_checkpoints_completed_total{job="job-7"}"#, in: text) == 0)
        #expect(value(#"sluice_checkpoints_failed_total{job="job-7"}"#, in: text) == 0)
        #expect(value(#"sluice_checkpoint_last_completed_id{job="job-7"}"#, in: text) == 0)
    }

    @Test func lastCompletedCheckpointIDFollowsCompletions() async throws {
        let metrics = JobManagerMetrics()
        let harness = try CheckpointHarness(metrics: metrics.checkpoints(job: "job-1"))
        defer { harness.directory.remove() }
        harness.start()
        for _ in 0..<2 {
            let id = try #require(await harness.triggerNext())
            await harness.acknowledgeAll(id, handles: { [CheckpointHarness.handle($0, checkpoint: id, size: 10)] })
            #expect(value(#"sluice_checkpoint_last_completed_id{job="job-1"}"#, in: metrics.render()) == Double(id))
        }
    }
}
