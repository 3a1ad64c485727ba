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
            let services = try LiveAttributionServices.start(topics: ["clicks:8", "checkouts:8"])
            defer { services.stop() }
            let sluice = services.sluice.path
            let work = try TemporaryDirectory(prefix: "sluice-drain")
            defer { work.remove() }
            let settings = services.clusterSettings.merging(["SLUICE_TASKMANAGER_WORK_DIR": work.path]) { _, new in new }
            try await withLocalCluster("drain", settings: settings) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let job = try await cluster.rest.submit(try LiveAttributionServices.attributionSpec(replacing: [:]))
                try await cluster.rest.waitForAllTasksRunning(job)
                let rest = ["--rest", "127.0.0.1:\(cluster.restPort)"]

                // make run's generator: paced, unbounded, event time = wall clock.
                let generator = try services.liveStream(rate: 2000, arguments: ["--seed", "5"], logDirectory: cluster.logDirectory)
                defer { generator.signal(SIGKILL) }
                let connection = try PostgresConnection.connect(url: services.database.url)
                // Rows only appear once the watermark (15 s behind the newest event) passed their checkouts.
                try await waitUntil("attributed rows in the sink", timeout: .seconds(90), interval: .milliseconds(500)) {
                    guard generator.isRunning else { throw TestSupportError.commandFailed(command: "datagen", status: 1, output: generator.output()) }
                    return try Self.sinkRows(connection) >= 100
                }

                // make datagen-stop: SIGTERM; the generator flushes what it produced and exits 0.
                generator.signal(SIGTERM)
                try await generator.waitForExit(timeout: .seconds(30))
                #expect(generator.exitStatus == 0, "\(generator.output().suffix(2_000))")

                // The job reads what is left: `sluice status` shows "not yet read 0" on both sources.
                try await cluster.rest.waitUntilSourcesCaughtUp(job, sources: 2)
                let status = try ShellCommand.run(sluice, ["status", job] + rest)
                #expect(status.contains("not yet read 0"), "\(status)")
                let beforeDrain = try Self.sinkRows(connection)

                // Without a drain, the checkouts of the last ~15 s would never be emitted.
                let stopped = try ShellCommand.run(sluice, ["stop", job, "--drain"] + rest)
                #expect(stopped.contains("after draining it"), "\(stopped)")
                try await cluster.rest.waitForJobToFinish(job, timeout: .seconds(30))
                let drained = try Self.sinkRows(connection)
                #expect(drained > beforeDrain, "the drain emitted the pending checkouts (\(beforeDrain) → \(drained) rows)")

                let (code, report) = try ShellCommand.execute(sluice, ["verify", "--job", job] + rest + services.connections)
                #expect(code == 0, "sluice verify:\n\(report)\ndatagen:\n\(generator.output().suffix(1_000))")
                #expect(report.contains("verify PASSED"), "\(report)")

                // Stopping it again says it already ended, and fails.
                let (again, text) = try ShellCommand.execute(sluice, ["stop", job] + rest)
                #expect(again != 0 && text.contains("HTTP 409") && text.contains("already FINISHED; there is nothing to stop"), "\(text)")
            }
        }

        private static func sinkRows(_ connection: PostgresConnection) throws -> Int {
            Int(try connection.execute("SELECT count(*) FROM commerce.attributed_checkouts").value(row: 0, column: 0) ?? "0") ?? 0
        }
    }
}
