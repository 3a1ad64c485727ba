import Foundation
import SluicePostgres
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Every TaskManager serves Prometheus `/metrics` on the port it lists in `GET /taskmanagers`,
    /// and its record counters follow the tasks it runs.
    @Suite struct TaskManagerMetricsTests {
        private func fileJob(_ directory: URL) -> String {
            """
            name: metrics-probe
            parallelism: 2
            sources:
              - {id: clicks, kind: file-source, params: {path: \(directory.path)/clicks.jsonl, format: click}}
              - {id: checkouts, kind: file-source, params: {path: \(directory.path)/checkouts.jsonl, format: checkout}}
            operators:
              - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id]}
            sinks:
              - {id: sink, kind: blackhole-sink, inputs: [attribution]}
            """
        }

        /// Sum of every sample of `family` whose labels contain `vertex="…"`, or nil if there is none.
        private static func sum(_ family: String, vertex: String, in text: String) -> Double? {
            let samples = text.split(separator: "\n").filter { $0.hasPrefix(family + "{") && $0.contains(#"vertex="\#(vertex)""#) }
            guard !samples.isEmpty else { return nil }
            return samples.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
        }

        @Test func eachTaskManagerServesMetricsWhoseRecordCountersGrowWithTheJob() async throws {
            let scenario = AttributionScenario(seed: 11, events: 4_000)
            // The scenario's malformed lines are dead-lettered to PostgreSQL.
            let database = try PostgresServer.start()
            defer { database.stop() }
            let schema = RepositoryLayout.root.appendingPathComponent("cluster/schema.sql").path
            _ = try PostgresConnection.connect(url: database.url).simpleQuery(try String(contentsOfFile: schema, encoding: .utf8))
            let files = try TemporaryDirectory(prefix: "sluice-metrics-input")
            defer { files.remove() }
            try scenario.jsonLines(clicks: true).write(to: files.url.appendingPathComponent("clicks.jsonl"), atomically: true, encoding: .utf8)
            try scenario.jsonLines(clicks: false).write(to: files.url.appendingPathComponent("checkouts.jsonl"), atomically: true, encoding: .utf8)
            let work = try TemporaryDirectory(prefix: "sluice-tm-work")
            defer { work.remove() }
            try await withLocalCluster("tm-metrics", settings: ["SLUICE_POSTGRES_URL": database.url, "SLUICE_TASKMANAGER_WORK_DIR": work.path]) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 1)
                try cluster.startTaskManager(slots: 1)
                try await cluster.waitForTaskManagers(2)
                let listed = try #require(try await cluster.rest.get("/taskmanagers").object()["taskmanagers"] as? [[String: Any]])
                let ports = listed.compactMap { $0["metricsPort"] as? Int }
                #expect(ports.count == 2 && ports.allSatisfy { $0 > 0 } && Set(ports).count == 2, "metricsPort of \(listed)")
                let probes = ports.map { RESTProbe(port: $0) }

                for probe in probes {
                    let reply = try await probe.get("/metrics")
                    #expect(reply.status == 200)
                    #expect(reply.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
                    #expect(reply.text.contains("sluice_process_resident_memory_bytes{taskmanager="))
                    #expect(Self.sum("sluice_task_records_in_total", vertex: "attribution", in: reply.text) == nil, "no task ran yet")
                    #expect(try await probe.get("/jobs").status == 404)
                }

                let submitted = try await cluster.rest.request("/jobs", method: "POST", body: Data(fileJob(files.url).utf8))
                #expect(submitted.status == 202, "\(submitted.text)")
                let jobID = try #require(try submitted.object()["jobid"] as? String)
                try await waitUntil("the job to finish", timeout: .seconds(60)) {
                    let state = try await cluster.rest.get("/jobs/\(jobID)").object()["state"] as? String
                    if state == "FAILED" || state == "CANCELED" {
                        throw TestSupportError.commandFailed(command: "job", status: 1, output: "job ended \(state ?? "?")")
                    }
                    return state == "FINISHED"
                }

                // One slot per TaskManager: each ran one subtask of every vertex, so each counted records.
                var received = 0.0
                var sent = 0.0
                for probe in probes {
                    let text = try await probe.get("/metrics").text
                    let attributionIn = try #require(Self.sum("sluice_task_records_in_total", vertex: "attribution", in: text))
                    #expect(attributionIn > 0)
                    #expect(Self.sum("sluice_task_input_bytes_total", vertex: "attribution", in: text) ?? 0 > 0)
                    #expect(text.contains(#"job="\#(jobID)""#))
                    received += attributionIn
                    sent += (Self.sum("sluice_task_records_out_total", vertex: "clicks", in: text) ?? 0)
                        + (Self.sum("sluice_task_records_out_total", vertex: "checkouts", in: text) ?? 0)
                }
                #expect(received == Double(scenario.events.count), "every well-formed event was counted once by the attribution subtasks")
                #expect(sent == received)
            }
        }
    }
}
