import Foundation
import SluicePostgres
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// The acceptance run of the attribution pipeline: generated events with disorder and
    /// malformed records through the dev broker, the job at parallelism 2 on two TaskManagers
    /// (so the keyed exchange crosses the network), judged by `sluice verify` — an SQL
    /// recomputation in PostgreSQL, independent of the engine.
    @Suite struct KafkaPipelineTests {
        @Test func twoHundredThousandGeneratedEventsAreAttributedExactlyAsTheSQLOracleSays() async throws {
            try await run(topics: ["clicks:8", "checkouts:8"], events: 200_000, parallelism: 2, seed: 11, minimumDeadLetters: 2_000)
        }

        /// More subtasks than partitions: parallelism 4 reads a clicks topic of one partition (three
        /// click subtasks own none and go idle) and a checkouts topic of three (one subtask owns
        /// none); the run still ends and equals the SQL recomputation.
        @Test func parallelismFourOnTopicsOfOneAndThreePartitionsEqualsTheSQLOracle() async throws {
            try await run(topics: ["clicks:1", "checkouts:3"], events: 40_000, parallelism: 4, seed: 12, minimumDeadLetters: 400)
        }

        /// Generates `events` into `topics`, runs the shipped attribution job bounded at
        /// `parallelism` on two TaskManagers of two slots, and holds the sink to `sluice verify`.
        private func run(topics: [String], events: Int, parallelism: Int, seed: Int, minimumDeadLetters: Int) async throws {
            let broker = try DevBrokerServer.start(topics: topics)
            defer { broker.stop() }
            let database = try PostgresServer.start()
            defer { database.stop() }
            let sluice = try RepositoryLayout.executable("sluice").path
            let schema = RepositoryLayout.root.appendingPathComponent("cluster/schema.sql").path
            let connections = ["--kafka", broker.bootstrapServers, "--postgres", database.url]

            let generated = try ShellCommand.run(sluice, ["datagen"] + connections + [
                "--apply-schema", "--schema", schema, "--seed", "\(seed)", "--events", "\(events)", "--rate", "0",
                "--malformed-share", "0.015", "--disorder-ms", "5000", "--start-time", "2026-11-20 00:00:00"])
            let work = try TemporaryDirectory(prefix: "sluice-tm-work")
            defer { work.remove() }
            let settings = ["SLUICE_POSTGRES_URL": database.url, "SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                            "SLUICE_TASKMANAGER_WORK_DIR": work.path]
            try await withLocalCluster("kafka-pipeline", settings: settings) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let spec = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)
                    .replacingOccurrences(of: "format: click}", with: "format: click, bounded: true}")
                    .replacingOccurrences(of: "format: checkout}", with: "format: checkout, bounded: true}")
                #expect(spec.components(separatedBy: "bounded: true").count == 3, "both sources made bounded")
                let submitted = try await cluster.rest.request("/jobs?parallelism=\(parallelism)", method: "POST", body: Data(spec.utf8))
                let jobID = try #require(try submitted.object()["jobid"] as? String, "\(submitted.text)")
                try await waitUntil("the bounded job to finish", timeout: .seconds(300), interval: .milliseconds(500)) {
                    let state = try await cluster.rest.get("/jobs/\(jobID)").object()["state"] as? String
                    if state == "FAILED" || state == "CANCELED" {
                        throw TestSupportError.commandFailed(command: "job \(jobID)", status: 1, output: "ended \(state!)")
                    }
                    return state == "FINISHED"
                }
            }
            let (status, report) = try ShellCommand.execute(sluice, ["verify"] + connections)
            #expect(status == 0, "sluice verify:\n\(report)\ndatagen:\n\(generated.suffix(2_000))")
            let connection = try PostgresConnection.connect(url: database.url)
            let deadLetters = Int(try connection.execute("SELECT count(*) FROM commerce.dead_letters").value(row: 0, column: 0) ?? "0") ?? 0
            #expect(deadLetters >= minimumDeadLetters, "about 1.5 % of \(events) records are malformed; \(deadLetters) dead-lettered")
        }
    }
}
