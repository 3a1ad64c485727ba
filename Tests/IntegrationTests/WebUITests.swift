import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// The web UI on the REST port, loaded by Debian's headless Chromium (`Tests/UI/ui_check.py`)
    /// while the attribution job runs on a live stream: the overview, job and TaskManager pages
    /// render with live numbers, without JavaScript errors or overlapping text. The cluster
    /// requires a REST token, which the CLI reads from `SLUICE_REST_TOKEN_FILE`.
    @Suite struct WebUITests {
        static let screenshots = RepositoryLayout.root.appendingPathComponent(".cluster/ui-screenshots")

        @Test func headlessChromiumRendersTheLiveJobGraphAndCheckpointsWithoutErrors() async throws {
            let services = try LiveAttributionServices.start(topics: ["clicks:2", "checkouts:2"])
            defer { services.stop() }
            let sluice = services.sluice
            let files = try TemporaryDirectory(prefix: "sluice-web-ui")
            defer { files.remove() }
            let tokenFile = files.url.appendingPathComponent("rest-token")
            try "ui-test-token-\(UUID().uuidString)\n".write(to: tokenFile, atomically: true, encoding: .utf8)
            // Checkpoints every second fill the table; a short out-of-orderness lets rows reach the sink soon.
            let specFile = files.url.appendingPathComponent("job.yaml")
            let spec = try LiveAttributionServices.attributionSpec(replacing: [
                "interval-ms: 2000": "interval-ms: 1000", "out-of-orderness-ms: 15000": "out-of-orderness-ms: 2000"])
            try spec.write(to: specFile, atomically: true, encoding: .utf8)
            let settings = services.clusterSettings.merging([
                "SLUICE_TASKMANAGER_WORK_DIR": files.url.appendingPathComponent("work").path,
                "SLUICE_REST_REFRESH_INTERVAL_MS": "1000", "SLUICE_REST_TOKEN_FILE": tokenFile.path]) { _, new in new }
            try await withLocalCluster("web-ui", settings: settings, removeFilesOnSuccess: true) { cluster in
                // A live stream (event time = wall clock) for as long as the test runs.
                let stream = try services.liveStream(rate: 400, arguments: ["--disorder-ms", "500"], logDirectory: cluster.logDirectory)
                defer { stream.signal(SIGTERM) }
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)

                let anonymous = try await cluster.rest.request("/jobs", method: "POST", body: Data(spec.utf8))
                #expect(anonymous.status == 401, "a submission without the token is refused: \(anonymous.text)")
                let cli = ["SLUICE_REST_TOKEN_FILE": tokenFile.path]
                let rest = ["--rest", "http://127.0.0.1:\(cluster.restPort)"]
                let jobID = try ShellCommand.run(sluice.path, ["submit", specFile.path] + rest, environment: cli)
                    .trimmingCharacters(in: .whitespacesAndNewlines)

                try? FileManager.default.removeItem(at: Self.screenshots)
                let script = RepositoryLayout.root.appendingPathComponent("Tests/UI/ui_check.py").path
                let (status, output) = try ShellCommand.execute("/usr/bin/python3", [
                    script, "http://127.0.0.1:\(cluster.restPort)", Self.screenshots.path, "--job", jobID, "--timeout", "120",
                    "--expect-preview"])
                #expect(status == 0, "ui_check.py:\n\(output)\ndatagen:\n\(stream.output().suffix(1_000))")
                for page in ["overview", "job", "taskmanagers", "submit"] {
                    let data = try Data(contentsOf: Self.screenshots.appendingPathComponent("\(page).png"))
                    #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(page).png is a PNG")
                    #expect(data.count > 10_000, "\(page).png has \(data.count) bytes; a rendered page is larger")
                }
                try await Self.expectLiveInsights(cluster.rest, jobID: jobID)
                try ShellCommand.run(sluice.path, ["cancel", jobID] + rest, environment: cli)
                try await waitUntil("the job to be cancelled", timeout: .seconds(30)) {
                    try await cluster.rest.get("/jobs/\(jobID)").object()["state"] as? String == "CANCELED"
                }
                await stream.stop()
            }
        }

        /// What the UI's panels read, filled from the heartbeats of a running job: operator
        /// counters, back-pressure ratios, the sink preview with counters and rows, TaskManager RSS.
        private static func expectLiveInsights(_ rest: RESTProbe, jobID: String) async throws {
            let job = try await rest.get("/jobs/\(jobID)").object()
            let vertices = try #require(job["vertices"] as? [[String: Any]])
            let attribution = try #require(vertices.first { $0["id"] as? String == "attribution" }?["metrics"] as? [String: Any])
            let counters = try #require(attribution["operator-counters"] as? [String: Int], "\(attribution)")
            #expect((counters["attribution/attributed"] ?? 0) > 0 && (counters["sink/rows_written"] ?? 0) > 0, "\(counters)")
            #expect(vertices.allSatisfy { ($0["metrics"] as? [String: Any])?["backpressure-ratio"] != nil }, "\(vertices)")
            let panel = try await rest.get("/jobs/\(jobID)/sink-preview").object()
            let sinks = try #require(panel["sinks"] as? [[String: Any]], "\(panel)")
            #expect(sinks.count == 1 && sinks.first?["table"] as? String == "commerce.attributed_checkouts", "\(panel)")
            #expect(sinks.first?["error"] is NSNull && (sinks.first?["rows"] as? [Any])?.isEmpty == false, "\(panel)")
            #expect((sinks.first?["columns"] as? [String])?.contains("checkout_id") == true)
            let listed = try #require(panel["counters"] as? [[String: Any]])
            #expect(listed.contains { $0["operator"] as? String == "attribution" && $0["event"] as? String == "attributed"
                && ($0["value"] as? Int ?? 0) > 0 }, "\(listed)")
            let pressure = try await rest.get("/jobs/\(jobID)/vertices/clicks/backpressure").object()
            #expect(pressure["status"] as? String == "ok" && (pressure["subtasks"] as? [Any])?.count == 2, "\(pressure)")
            let taskManagers = try #require(try await rest.get("/taskmanagers").object()["taskmanagers"] as? [[String: Any]])
            #expect(taskManagers.allSatisfy { ($0["rssBytes"] as? Int ?? 0) > 0 }, "\(taskManagers)")
        }
    }
}
