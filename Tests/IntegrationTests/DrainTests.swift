import Foundation
import SluicePostgres
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// The README's "verify a live pipeline" sequence, as `make run` sets it up: a paced
    /// generator streams into the dev broker while the (unbounded) attribution job runs; the
    /// generator is stopped, the job reads what is left, `sluice stop --drain` emits every
    /// pending checkout with the final checkpoint, and `sluice verify` finds the sink exact.
    @Suite struct DrainTests {
        @Test func aDrainedLivePipelinePassesVerify() async throws {
            let broker = try DevBrokerServer.start(topics: ["clicks:8", "checkouts:8"])
            defer { broker.stop() }
            let database = try PostgresServer.start()
            defer { database.stop() }
            let sluice = try RepositoryLayout.executable("sluice")
            let schema = RepositoryLayout.root.appendingPathComponent("cluster/schema.sql").path
            let connections = ["--kafka", broker.bootstrapServers, "--postgres", database.url]
            _ = try ShellCommand.run(sluice.path, ["datagen"] + connections + ["--apply-schema", "--schema", schema, "--users-only"])

            let work = try TemporaryDirectory(prefix: "sluice-drain")
            defer { work.remove() }
            let settings = ["SLUICE_POSTGRES_URL": database.url, "SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                            "SLUICE_TASKMANAGER_WORK_DIR": work.path]
            try await withLocalCluster("drain", settings: settings) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let spec = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)
                let job = try await cluster.rest.submit(spec)
                try await cluster.rest.waitForAllTasksRunning(job)

                // make run's generator: paced, unbounded, event time = wall clock.
                let generator = try ManagedProcess(name: "datagen", executable: sluice,
                                                   arguments: ["datagen", "--skip-users", "--rate", "2000", "--seed", "5"] + connections,
                                                   logDirectory: cluster.logDirectory)
                defer { generator.signal(SIGKILL) }
                let connection = try PostgresConnection.connect(url: database.url)
                // Rows only appear once the watermark (15 s behind the newest event) passed their checkouts.
                try await waitUntil("attributed rows in the sink", timeout: .seconds(90), interval: .milliseconds(500)) {
                    guard generator.isRunning else { throw TestSupportError.commandFailed(command: "datagen", status: 1, output: generator.output()) }
                    return try Self.count("commerce.attributed_checkouts", connection) >= 100
                }

                // make datagen-stop: SIGTERM; the generator flushes what it produced and exits 0.
                generator.signal(SIGTERM)
                try await generator.waitForExit(timeout: .seconds(30))
                #expect(generator.exitStatus == 0, "\(generator.output().suffix(2_000))")

                // The job reads what is left: `sluice status` shows "not yet read 0" on both sources.
                try await waitUntil("both sources read everything", timeout: .seconds(60), interval: .milliseconds(500)) {
                    try await Self.pendingRecords(job, cluster.rest) == [0, 0]
                }
                let status = try ShellCommand.run(sluice.path, ["status", job, "--rest", "127.0.0.1:\(cluster.restPort)"])
                #expect(status.contains("not yet read 0"), "\(status)")
                let pendingBefore = try Self.count("commerce.attributed_checkouts", connection)

                // Without a drain, the checkouts of the last ~15 s would never be emitted.
                let stopped = try ShellCommand.run(sluice.path, ["stop", job, "--drain", "--rest", "127.0.0.1:\(cluster.restPort)"])
                #expect(stopped.contains("after draining it"), "\(stopped)")
                try await waitUntil("the drained job FINISHED", timeout: .seconds(30)) {
                    try await cluster.rest.jobProgress(job).state == "FINISHED"
                }
                let drained = try Self.count("commerce.attributed_checkouts", connection)
                #expect(drained > pendingBefore, "the drain emitted the pending checkouts (\(pendingBefore) → \(drained) rows)")

                let (code, report) = try ShellCommand.execute(sluice.path, ["verify", "--job", job, "--rest", "127.0.0.1:\(cluster.restPort)"]
                                                              + connections)
                #expect(code == 0, "sluice verify:\n\(report)\ndatagen:\n\(generator.output().suffix(1_000))")
                #expect(report.contains("verify PASSED"), "\(report)")
            }
        }

        private static func count(_ table: String, _ connection: PostgresConnection) throws -> Int {
            Int(try connection.execute("SELECT count(*) FROM \(table)").value(row: 0, column: 0) ?? "0") ?? 0
        }

        /// `pending-records` of each source vertex that reports it, in vertex order.
        private static func pendingRecords(_ job: String, _ rest: RESTProbe) async throws -> [Int] {
            let vertices = try await rest.get("/jobs/\(job)").object()["vertices"] as? [[String: Any]] ?? []
            return vertices.compactMap { ($0["metrics"] as? [String: Any])?["pending-records"] as? Int }
        }
    }
}
