import Foundation
import SluicePostgres
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Two copies of the attribution job forced onto one sink table (`allow-duplicate`) on a live
    /// stream, as in the day-one report: their exactly-once sinks hold the rows they upsert locked
    /// until their checkpoint completes, so each blocks the other. Row-lock waits are bounded
    /// (`lock-timeout-ms`, 30 s by default, below the checkpoint timeout) and checkpoints that keep expiring
    /// fail the job over, so the jobs keep moving or fail visibly — never sit RUNNING with
    /// nothing moving — and once drained the table is exactly the attribution.
    @Suite struct SharedSinkTests {
        static let checkpointTimeoutMillis = 10_000
        static let tolerableFailures = 3

        @Test func twoJobsOnOneSinkTableNeverWedgeSilently() async throws {
            let services = try LiveAttributionServices.start(topics: ["clicks:4", "checkouts:4"])
            defer { services.stop() }
            let sluice = services.sluice
            let connections = services.connections
            let work = try TemporaryDirectory(prefix: "sluice-shared-sink")
            defer { work.remove() }
            let settings = services.clusterSettings.merging(["SLUICE_TASKMANAGER_WORK_DIR": work.path]) { _, new in new }
            try await withLocalCluster("shared-sink", settings: settings) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let spec = try LiveAttributionServices.attributionSpec(replacing: ["timeout-ms: 60000": "timeout-ms: \(Self.checkpointTimeoutMillis)"])
                let first = try await cluster.rest.submit(spec, query: "parallelism=1")
                let refused = try await cluster.rest.request("/jobs?parallelism=1", method: "POST", body: Data(spec.utf8))
                #expect(refused.status == 409 && refused.text.contains(first), "\(refused.text)")
                let second = try await cluster.rest.submit(spec, query: "parallelism=1&allow-duplicate=true")
                let jobs = [first, second]

                // Few users, so both jobs upsert the same rows in overlapping epochs.
                let generator = try services.liveStream(rate: 1000, arguments: ["--users", "50", "--events", "40000", "--seed", "9"],
                                                        logDirectory: cluster.logDirectory)
                defer { generator.signal(SIGKILL) }

                // Until the generator is done, each job keeps visibly moving (records read,
                // checkpoints completed or restarts change) or ends.
                let stall = Duration.milliseconds(Self.checkpointTimeoutMillis * (Self.tolerableFailures + 1)) + .seconds(10)
                var lastChange: [String: (figures: [Int], at: ContinuousClock.Instant)] = [:]
                try await waitUntil("the generator's 40,000 events", timeout: .seconds(180), interval: .seconds(1)) {
                    for job in jobs {
                        let progress = try await cluster.rest.jobProgress(job)
                        guard !Self.ended(progress.state) else { continue }
                        let figures = [try await Self.recordsRead(job, cluster.rest), try await cluster.rest.latestCompletedCheckpoint(job) ?? 0,
                                       progress.numRestarts]
                        let now = ContinuousClock.now
                        if let last = lastChange[job], last.figures == figures {
                            if now - last.at > stall {
                                throw TestSupportError.commandFailed(command: "job \(job)", status: 1,
                                                                     output: "\(progress.state) with nothing moving for \(now - last.at): \(figures)")
                            }
                        } else {
                            lastChange[job] = (figures, now)
                        }
                    }
                    return !generator.isRunning
                }
                #expect(generator.exitStatus == 0, "\(generator.output().suffix(1_000))")
                var restarts: [Int] = []
                for job in jobs { restarts.append(try await cluster.rest.jobProgress(job).numRestarts) }
                print("shared sink: restarts while contending \(restarts)")

                // Drain what still runs; a job that failed says why.
                var outcome: [String: String] = [:]
                for job in jobs {
                    let state = try await waitFor("job \(job) RUNNING (to drain) or ended", timeout: .seconds(120)) {
                        let state = try await cluster.rest.jobProgress(job).state
                        return state == "RUNNING" || Self.ended(state) ? state : nil
                    }
                    guard state == "RUNNING" else {
                        outcome[job] = state
                        continue
                    }
                    try await cluster.rest.waitUntilSourcesCaughtUp(job, sources: 2)
                    let (code, output) = try ShellCommand.execute(sluice.path, ["stop", job, "--drain", "--rest", "127.0.0.1:\(cluster.restPort)"])
                    #expect(code == 0 || output.contains("restarts from its latest checkpoint"), "\(output)")
                    outcome[job] = try await waitFor("job \(job) ended", timeout: .seconds(120)) {
                        let state = try await cluster.rest.jobProgress(job).state
                        return Self.ended(state) ? state : nil
                    }
                }
                for job in jobs where outcome[job] == "FAILED" {
                    let status = try ShellCommand.run(sluice.path, ["status", job, "--rest", "127.0.0.1:\(cluster.restPort)"])
                    #expect(status.contains("failure:"), "\(status)")
                }
                #expect(outcome.values.allSatisfy { $0 == "FINISHED" || $0 == "FAILED" }, "\(outcome)")
                if outcome.values.allSatisfy({ $0 == "FINISHED" }) {
                    // Both wrote the same rows (upserts on checkout_id): the table is exactly the attribution.
                    let (code, report) = try ShellCommand.execute(sluice.path, ["verify"] + connections)
                    #expect(code == 0, "sluice verify:\n\(report)")
                }
            }
        }

        private static func ended(_ state: String) -> Bool { ["FINISHED", "FAILED", "CANCELED"].contains(state) }

        private static func recordsRead(_ job: String, _ rest: RESTProbe) async throws -> Int {
            let vertices = try await rest.get("/jobs/\(job)").object()["vertices"] as? [[String: Any]] ?? []
            return vertices.reduce(0) { $0 + (($1["metrics"] as? [String: Any])?["read-records"] as? Int ?? 0) }
        }
    }
}

