import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Issue 5's metrics acceptance: the attribution job reads a live generated stream from
    /// Kafka on two TaskManagers with 1 s exactly-once checkpoints; every `/metrics` endpoint
    /// (the JobManager's and each TaskManager's, found through `/taskmanagers`) is scraped twice,
    /// with a wait for a newer completed checkpoint and committed rows in between, and the
    /// listed families must exist with their labels and move.
    @Suite struct MetricsAcceptanceTests {
        /// Every TaskManager's `/metrics`, parsed.
        private static func scrapeTaskManagers(_ probes: [RESTProbe]) async throws -> [PrometheusText] {
            var scrapes: [PrometheusText] = []
            for probe in probes { scrapes.append(try PrometheusText(try await probe.get("/metrics").text)) }
            return scrapes
        }

        private static func sum(_ name: String, _ labels: [String: String] = [:], in scrapes: [PrometheusText]) -> Double {
            scrapes.reduce(0) { $0 + $1.sum(name, where: labels) }
        }

        @Test func everyEndpointExposesTheListedFamiliesAndTheyMoveWhileTheJobRuns() async throws {
            let services = try LiveAttributionServices.start(topics: ["clicks:4", "checkouts:4"])
            defer { services.stop() }
            let logs = try TemporaryDirectory(prefix: "sluice-metrics-datagen")
            defer { logs.remove() }
            // A live stream at a modest rate (2 cores): event times are now, so rows commit ~15 s later.
            let generator = try services.liveStream(rate: 150, arguments: ["--seed", "5"], logDirectory: logs.url)
            let work = try TemporaryDirectory(prefix: "sluice-tm-work")
            defer { work.remove() }
            let settings = services.clusterSettings.merging(["SLUICE_TASKMANAGER_WORK_DIR": work.path]) { _, new in new }
            do {
                try await withLocalCluster("metrics-acceptance", settings: settings) { cluster in
                    try await run(cluster, generator: generator)
                }
            } catch {
                await generator.stop()
                throw error
            }
            await generator.stop()
        }

        private func run(_ cluster: LocalCluster, generator: ManagedProcess) async throws {
            try await cluster.startJobManager()
            try cluster.startTaskManager(slots: 1)
            try cluster.startTaskManager(slots: 1)
            try await cluster.waitForTaskManagers(2)
            let listed = try await cluster.rest.taskManagers()
            let ports = try #require(try await cluster.rest.get("/taskmanagers").object()["taskmanagers"] as? [[String: Any]])
                .compactMap { $0["metricsPort"] as? Int }
            #expect(ports.count == listed.count && Set(ports).count == 2 && ports.allSatisfy { $0 > 0 }, "metricsPort of \(listed)")
            let probes = ports.map { RESTProbe(port: $0) }

            let jobID = try await cluster.rest.submit(try LiveAttributionServices.attributionSpec(replacing: ["interval-ms: 2000": "interval-ms: 1000"]), query: "parallelism=2")
            let job = ["job": jobID]
            try await cluster.rest.waitForAllTasksRunning(jobID, timeout: .seconds(90))
            let firstCheckpoint = try await cluster.rest.waitForCheckpoint(jobID, after: nil, timeout: .seconds(90))

            // Before the first scrape: records flowed through the attribution subtasks.
            try await waitUntil("records reach the attribution subtasks", timeout: .seconds(60), interval: .milliseconds(250)) {
                Self.sum("sluice_task_records_in_total", ["job": jobID, "vertex": "attribution"],
                         in: try await Self.scrapeTaskManagers(probes)) > 0
            }
            let jobManagerBefore = try PrometheusText(try await cluster.rest.get("/metrics").text)
            let before = try await Self.scrapeTaskManagers(probes)
            let idBefore = try #require(jobManagerBefore.samples("sluice_checkpoint_last_completed_id", where: job).first?.value)
            #expect(idBefore >= Double(firstCheckpoint))

            // The condition between the scrapes: a newer checkpoint completed and rows were committed
            // (the watermark trails by the 15 s out-of-orderness, so the first rows take a while).
            try await waitUntil("a newer checkpoint and committed attributed rows", timeout: .seconds(120), interval: .milliseconds(500)) {
                let jobManager = try PrometheusText(try await cluster.rest.get("/metrics").text)
                let id = jobManager.samples("sluice_checkpoint_last_completed_id", where: job).first?.value ?? 0
                let committed = Self.sum("sluice_end_to_end_latency_seconds_count", job, in: try await Self.scrapeTaskManagers(probes))
                guard generator.isRunning else {
                    throw TestSupportError.commandFailed(command: "sluice datagen", status: generator.exitStatus ?? -1, output: generator.output())
                }
                return id > idBefore && committed > 0
            }
            let jobManager = try PrometheusText(try await cluster.rest.get("/metrics").text)
            let after = try await Self.scrapeTaskManagers(probes)

            try checkJobManager(jobManager, job: job, idBefore: idBefore)
            try checkTaskManagers(before: before, after: after, job: job)
        }

        private func checkJobManager(_ text: PrometheusText, job: [String: String], idBefore: Double) throws {
            let id = try #require(text.samples("sluice_checkpoint_last_completed_id", where: job).first?.value)
            #expect(id > idBefore, "sluice_checkpoint_last_completed_id increased")
            #expect(text.samples("sluice_job_restarts_total", where: job).map(\.value) == [0], "restarts exist at 0 before any failover")
            #expect(text.sum("sluice_checkpoints_completed_total", where: job) >= 2)
            #expect(text.samples("sluice_checkpoints_failed_total", where: job).count == 1)
            #expect(text.sum("sluice_checkpoint_duration_seconds_count", where: job) >= 2)
            #expect(text.samples("sluice_checkpoint_last_size_bytes", where: job).first.map { $0.value > 0 } == true)
        }

        private func checkTaskManagers(before: [PrometheusText], after: [PrometheusText], job: [String: String]) throws {
            let subtaskLabels: Set<String> = ["job", "vertex", "subtask", "taskmanager"]
            let taskFamilies = ["sluice_task_records_in_total", "sluice_task_records_out_total", "sluice_task_input_bytes_total",
                                "sluice_task_output_bytes_total", "sluice_task_back_pressured_seconds_total", "sluice_task_watermark_seconds",
                                "sluice_task_watermark_lag_seconds", "sluice_task_checkpoint_alignment_seconds_count",
                                "sluice_task_checkpoint_last_acknowledged_id", "sluice_sink_batch_rows_count", "sluice_sink_commit_seconds_count",
                                "sluice_sink_prepared_to_commit_seconds_count", "sluice_end_to_end_latency_seconds_count",
                                "sluice_user_cache_hit_ratio", "sluice_kafka_consumer_lag_records"]
            for (index, text) in after.enumerated() {
                for family in taskFamilies {
                    let samples = text.samples(family, where: job)
                    #expect(!samples.isEmpty, "TaskManager \(index) exports \(family) for the job")
                    #expect(samples.allSatisfy { subtaskLabels.isSubset(of: $0.labels.keys) }, "\(family) labels: \(samples)")
                }
                let taskManager = try #require(text.samples("sluice_task_records_in_total", where: job).first?.labels["taskmanager"])
                #expect(text.samples("sluice_process_resident_memory_bytes", where: ["taskmanager": taskManager]).first.map { $0.value > 0 } == true)
                let cpuBefore = before[index].sum("sluice_process_cpu_seconds_total")
                #expect(text.sum("sluice_process_cpu_seconds_total") > cpuBefore, "CPU time increased on TaskManager \(index)")

                let lag = text.samples("sluice_kafka_consumer_lag_records", where: job)
                #expect(lag.allSatisfy { $0.value.isFinite && $0.value >= 0 }, "consumer lag: \(lag)")
                #expect(Set(lag.compactMap { $0.labels["topic"] }) == ["clicks", "checkouts"])
                #expect(lag.allSatisfy { $0.labels["partition"].flatMap(Int.init) != nil })
                for watermarkLag in text.samples("sluice_task_watermark_lag_seconds", where: job.merging(["vertex": "attribution"]) { $1 }) {
                    #expect(watermarkLag.value.isFinite, "watermark lag once events flowed: \(watermarkLag)")
                }
            }
            for family in ["sluice_task_records_in_total", "sluice_task_records_out_total"] {
                let grew = Self.sum(family, job, in: after) > Self.sum(family, job, in: before)
                #expect(grew, "\(family) increased between the scrapes")
            }
            let attribution = job.merging(["operator": "attribution"]) { $1 }
            let outcomes = Self.sum("sluice_operator_events_total", attribution.merging(["event": "attributed"]) { $1 }, in: after)
                + Self.sum("sluice_operator_events_total", attribution.merging(["event": "unattributed"]) { $1 }, in: after)
            #expect(outcomes > 0, "attributed + unattributed checkouts")
            for (operatorID, event) in [("attribution", "late"), ("clicks", "dead_lettered"), ("checkouts", "dead_lettered")] {
                let labels = job.merging(["operator": operatorID, "event": event]) { $1 }
                #expect(after.contains { !$0.samples("sluice_operator_events_total", where: labels).isEmpty }, "\(operatorID) counts \(event)")
            }
            let ratios = after.flatMap { $0.samples("sluice_user_cache_hit_ratio", where: job) }
            #expect(ratios.allSatisfy { $0.value.isNaN || (0...1).contains($0.value) }, "a ratio, or NaN before a subtask's first lookup: \(ratios)")
            #expect(ratios.contains { (0...1).contains($0.value) }, "committed rows were enriched, so users were looked up: \(ratios)")
            #expect(Self.sum("sluice_sink_batch_rows_count", job, in: after) > 0)
            #expect(Self.sum("sluice_sink_commit_seconds_count", job, in: after) > 0)
            #expect(Self.sum("sluice_end_to_end_latency_seconds_count", job, in: after) > 0)
        }
    }
}
