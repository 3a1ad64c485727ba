import Foundation
import SluiceKafka
import SluicePostgres
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// A slow sink must slow the sources down (credit-based flow control), not fill memory.
    @Suite struct BackPressureTests {
        @Test func throttledSinkHoldsSourcesBackAndKeepsTaskManagerMemoryBounded() async throws {
            let scenario = AttributionScenario(seed: 3, events: 200_000)
            let broker = try DevBrokerServer.start(topics: ["clicks:4", "checkouts:4"])
            defer { broker.stop() }
            let database = try PostgresServer.start()
            defer { database.stop() }
            let connection = try PostgresConnection.connect(url: database.url)
            _ = try connection.simpleQuery(try String(contentsOfFile: RepositoryLayout.root.appendingPathComponent("cluster/schema.sql").path, encoding: .utf8))
            try produce(scenario, to: broker.bootstrapServers)

            let work = try TemporaryDirectory(prefix: "sluice-tm-work")
            defer { work.remove() }
            let settings = ["SLUICE_POSTGRES_URL": database.url, "SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                            "SLUICE_TASKMANAGER_WORK_DIR": work.path]
            try await withLocalCluster("backpressure", settings: settings) { cluster in
                try await cluster.startJobManager()
                let taskManager = try cluster.startTaskManager(slots: 1)
                try await cluster.waitForTaskManagers(1)
                // Eager mode emits each checkout at once, so the throttled sink is the bottleneck.
                let spec = """
                    name: throttled
                    parallelism: 1
                    sources:
                      - {id: clicks, kind: kafka-source, params: {topic: clicks, format: click}}
                      - {id: checkouts, kind: kafka-source, params: {topic: checkouts, format: checkout}}
                    operators:
                      - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id], params: {emit-mode: eager}}
                    sinks:
                      - {id: sink, kind: postgres-sink, inputs: [attribution], params: {table: commerce.attributed_checkouts, key: checkout_id, max-rows-per-second: 500, batch-size: 100}}
                    """
                let submitted = try await cluster.rest.request("/jobs", method: "POST", body: Data(spec.utf8))
                let jobID = try #require(try submitted.object()["jobid"] as? String, "\(submitted.text)")
                try await waitUntil("rows reach the sink", timeout: .seconds(30)) {
                    try Self.sinkRows(connection) > 0
                }
                let baseline = try Self.residentBytes(of: taskManager.pid)
                var peak = baseline
                let clock = ContinuousClock()
                let end = clock.now.advanced(by: .seconds(12))
                while clock.now < end {
                    peak = max(peak, try Self.residentBytes(of: taskManager.pid))
                    try await Task.sleep(for: .milliseconds(250))  // sampling period of the measurement, not a wait for a condition
                }
                let checkouts = scenario.events.count { !$0.isClick }
                let read = try await Self.sourceRecordsOut(cluster, jobID, vertex: "checkouts")
                let handed = try await Self.sinkRowsHanded(cluster, jobID)
                let written = try Self.sinkRows(connection)
                // Every checkout is a sink row (eager mode), so the sink's 500 rows/s hold the
                // checkouts source back: it may be ahead of the sink by what the channels and
                // buffers between them hold, never by the whole topic (without back-pressure it
                // reads all 60k within a few seconds). Clicks emit nothing; the task reads them
                // between the sink's waits, so how far the clicks source gets is not bounded by it.
                // Compared with the rows the sink handed to PostgreSQL, not the committed ones:
                // those trail by a checkpoint (5 s, and longer while barriers queue behind the
                // held-back records), which is no part of back-pressure.
                #expect(read < handed + 10_000 && read < checkouts / 2,
                        "the checkouts source read \(read) of \(checkouts) checkouts while the sink had written \(handed) rows (\(written) committed)")
                #expect(written > 2_000, "the sink kept writing (\(written) rows)")
                #expect(peak - baseline < 150 << 20, "TaskManager RSS grew by \((peak - baseline) >> 20) MiB")
                try await cluster.rest.request("/jobs/\(jobID)?mode=cancel", method: "PATCH")
            }
        }

        private func produce(_ scenario: AttributionScenario, to bootstrap: String) throws {
            let producer = try KafkaProducer(configuration: ["bootstrap.servers": bootstrap, "compression.codec": "lz4", "linger.ms": "20"])
            for (topic, clicks) in [("clicks", true), ("checkouts", false)] {
                var batch = KafkaProducerBatch()
                for (index, line) in scenario.jsonLines(clicks: clicks).split(separator: "\n").enumerated() {
                    batch.append(partition: Int32(index % 4), value: Array(line.utf8))
                    if batch.count >= 5_000 {
                        try producer.sendBatch(topic: topic, batch)
                        batch.removeAll()
                    }
                }
                try producer.sendBatch(topic: topic, batch)
            }
            try producer.flush(timeout: .seconds(60))
        }

        private static func sinkRows(_ connection: PostgresConnection) throws -> Int {
            Int(try connection.execute("SELECT count(*) FROM commerce.attributed_checkouts").value(row: 0, column: 0) ?? "0") ?? 0
        }

        private static func sourceRecordsOut(_ cluster: LocalCluster, _ jobID: String, vertex: String) async throws -> Int {
            let vertices = try await cluster.rest.get("/jobs/\(jobID)").object()["vertices"] as? [[String: Any]] ?? []
            return vertices.filter { $0["id"] as? String == vertex }
                .reduce(0) { $0 + ((($1["metrics"] as? [String: Any])?["write-records"] as? Int) ?? 0) }
        }

        /// The sink's `rows_written` counter: rows handed to PostgreSQL, committed or not yet.
        private static func sinkRowsHanded(_ cluster: LocalCluster, _ jobID: String) async throws -> Int {
            let vertices = try await cluster.rest.get("/jobs/\(jobID)").object()["vertices"] as? [[String: Any]] ?? []
            return vertices.reduce(0) {
                $0 + (((($1["metrics"] as? [String: Any])?["operator-counters"] as? [String: Any])?["sink/rows_written"] as? Int) ?? 0)
            }
        }

        /// VmRSS of a process, from /proc.
        static func residentBytes(of pid: Int32) throws -> Int {
            let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
                  let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
            return kilobytes * 1024
        }
    }
}
