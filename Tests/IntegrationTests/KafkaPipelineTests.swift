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
            let broker = try DevBrokerServer.start(topics: ["clicks:8", "checkouts:8"])
            defer { broker.stop() }
            let database = try PostgresServer.start()
            defer { database.stop() }
            let sluice = try RepositoryLayout.executable("sluice").path
            let schema = RepositoryLayout.root.appendingPathComponent("cluster/schema.sql").path
            let connections = ["--kafka", broker.bootstrapServers, "--postgres", database.url]

            let generated = try ShellCommand.run(sluice, ["datagen"] + connections + [
                "--apply-schema", "--schema", schema, "--seed", "11", "--events", "200000", "--rate", "0",
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
                    .replacingOccurrences(of: "event: click}", with: "event: click, bounded: true}")
                    .replacingOccurrences(of: "event: checkout}", with: "event: checkout, bounded: true}")
                #expect(spec.components(separatedBy: "bounded: true").count == 3, "both sources made bounded")
                let submitted = try await cluster.rest.request("/jobs?parallelism=2", method: "POST", body: Data(spec.utf8))
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
            #expect(deadLetters >= 2_000, "about 1.5 % of 200,000 records are malformed; \(deadLetters) dead-lettered")
        }
    }
}
