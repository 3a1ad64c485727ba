import Foundation
import SluicePostgres
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Jobs run across real TaskManager processes; the sink is judged against a brute-force oracle.
    @Suite struct JobExecutionTests {
        private func preparedDatabase(_ scenario: AttributionScenario) throws -> PostgresServer {
            let server = try PostgresServer.start()
            let connection = try PostgresConnection.connect(url: server.url)
            _ = try connection.simpleQuery(try RepositoryLayout.schemaSQL())
            _ = try connection.execute("""
                INSERT INTO commerce.users (id, username, updated_at)
                SELECT g, 'user-' || g, '2026-01-01' FROM generate_series(1, $1::int) g
                """, [String(scenario.knownUsers)])
            _ = try connection.execute("UPDATE commerce.users SET username = $1, updated_at = to_timestamp($2::bigint / 1000.0) AT TIME ZONE 'UTC' WHERE id = $3",
                                       [scenario.rename.name, String(scenario.rename.at), String(scenario.rename.user)])
            return server
        }

        /// `checkpointMs` nil: no checkpoints (the sink commits each batch, at-least-once).
        private func fileJob(_ directory: URL, parallelism: Int, emitMode: String, checkpointMs: Int?) -> String {
            """
            name: file-attribution
            parallelism: \(parallelism)
            \(checkpointMs.map { "checkpoints: {interval-ms: \($0), timeout-ms: 30000}" } ?? "")
            sources:
              - {id: clicks, kind: file-source, params: {path: \(directory.path)/clicks.jsonl, format: click}}
              - {id: checkouts, kind: file-source, params: {path: \(directory.path)/checkouts.jsonl, format: checkout}}
            operators:
              - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id], params: {emit-mode: \(emitMode)}}
              - {id: enrich, kind: user-enrichment, inputs: [attribution]}
            sinks:
              - {id: sink, kind: postgres-sink, inputs: [enrich], params: {table: commerce.attributed_checkouts, key: checkout_id}}
            """
        }

        /// Also in eager mode with exactly-once delivery, over a table that already holds an
        /// outdated row of one checkout (a re-run): the sink's plain insert of that checkout must
        /// meet it and redo its rows as upserts, and eager-mode corrections (when an earlier click
        /// turns up after its checkout) replace their provisional rows; the table must still end
        /// as the oracle says.
        @Test(arguments: [("on-watermark", nil), ("eager", 200)] as [(String, Int?)])
        func boundedJobAtParallelismTwoOnTwoTaskManagersMatchesTheOracle(emitMode: String, checkpointMs: Int?) async throws {
            let scenario = AttributionScenario(seed: 7, events: 20_000)
            let database = try preparedDatabase(scenario)
            defer { database.stop() }
            if checkpointMs != nil, let checkout = scenario.events.first(where: { !$0.isClick }) {
                _ = try PostgresConnection.connect(url: database.url).execute("""
                    INSERT INTO commerce.attributed_checkouts (checkout_id, click_id, product_id, checkout_time, user_id)
                    VALUES ($1, 'outdated', $2, '2026-01-01', $3)
                    """, [checkout.id, checkout.product, String(checkout.user)])
            }
            let files = try TemporaryDirectory(prefix: "sluice-job-input")
            defer { files.remove() }
            try scenario.jsonLines(clicks: true).write(to: files.url.appendingPathComponent("clicks.jsonl"), atomically: true, encoding: .utf8)
            try scenario.jsonLines(clicks: false).write(to: files.url.appendingPathComponent("checkouts.jsonl"), atomically: true, encoding: .utf8)
            let work = try TemporaryDirectory(prefix: "sluice-tm-work")
            defer { work.remove() }
            try await withLocalCluster("job-file", settings: ["SLUICE_POSTGRES_URL": database.url, "SLUICE_TASKMANAGER_WORK_DIR": work.path]) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let submitted = try await cluster.rest.request("/jobs", method: "POST", body: Data(fileJob(files.url, parallelism: 2, emitMode: emitMode, checkpointMs: checkpointMs).utf8))
                #expect(submitted.status == 202, "\(submitted.text)")
                let jobID = try #require(try submitted.object()["jobid"] as? String)
                try await waitUntil("the job to finish", timeout: .seconds(60)) {
                    let state = try await cluster.rest.get("/jobs/\(jobID)").object()["state"] as? String
                    if state == "FAILED" || state == "CANCELED" { throw TestSupportError.commandFailed(command: "job", status: 1, output: "job ended \(state!)") }
                    return state == "FINISHED"
                }
                let details = try await cluster.rest.get("/jobs/\(jobID)").object()
                let vertices = try #require(details["vertices"] as? [[String: Any]])
                #expect(vertices.map { $0["id"] as? String } == ["clicks", "checkouts", "attribution"], "enrich and sink chain into attribution")
                #expect(vertices.allSatisfy { $0["parallelism"] as? Int == 2 && $0["status"] as? String == "FINISHED" })
                let nodes = try #require((details["plan"] as? [String: Any])?["nodes"] as? [[String: Any]])
                let attributionInputs = try #require(nodes.last?["inputs"] as? [[String: Any]])
                #expect(attributionInputs.map { $0["ship_strategy"] as? String } == ["HASH", "HASH"])

                let connection = try PostgresConnection.connect(url: database.url)
                let result = try connection.execute("SELECT checkout_id, click_id, user_name FROM commerce.attributed_checkouts")
                let actual = Set((0..<result.rowCount).map {
                    AttributionScenario.Row(checkoutID: result.value(row: $0, column: 0)!, clickID: result.value(row: $0, column: 1),
                                            userName: result.value(row: $0, column: 2))
                })
                let expected = scenario.expectedRows()
                #expect(actual.count == expected.count)
                #expect(actual.subtracting(expected).isEmpty, "unexpected rows: \(actual.subtracting(expected).prefix(5))")
                #expect(expected.subtracting(actual).isEmpty, "missing or different rows: \(expected.subtracting(actual).prefix(5))")
                let deadLetters = try connection.execute("SELECT count(*) FROM commerce.dead_letters").value(row: 0, column: 0)
                #expect(deadLetters == String(scenario.malformed.count))
                let late = try connection.execute("SELECT count(*) FROM commerce.late_events").value(row: 0, column: 0)
                #expect(late == "0")
                if checkpointMs != nil {
                    #expect(cluster.logs().contains("writing the rows since the last savepoint again as upserts"),
                            "the outdated row met the sink's insert: the exactly-once sink's redo ran")
                }
            }
        }

        @Test func invalidSpecIsRefusedWithTheFieldNamed() async throws {
            try await withLocalCluster("bad-spec") { cluster in
                try await cluster.startJobManager()
                let reply = try await cluster.rest.request("/jobs", method: "POST", body: Data("""
                    name: broken
                    sources:
                      - {id: clicks, kind: kafka-sauce, params: {topic: clicks, format: click}}
                    sinks:
                      - {id: sink, kind: postgres-sink, inputs: [clicks]}
                    """.utf8))
                #expect(reply.status == 400)
                let errors = try #require(try reply.object()["errors"] as? [String])
                #expect(errors.first?.contains("sources[0].kind") == true, "\(errors)")
                let empty = try await cluster.rest.request("/jobs", method: "POST", body: Data())
                #expect(empty.status == 400)
                #expect(try await cluster.rest.get("/jobs/nope").status == 404)
            }
        }

        @Test func aSecondJobOfTheSameNameIsRefusedWithTheActiveJobsID() async throws {
            try await withLocalCluster("duplicate-name") { cluster in
                try await cluster.startJobManager()
                // No TaskManager: the job waits for slots (CREATED), which is "active" all the same.
                let spec = """
                    name: twice
                    sources:
                      - {id: clicks, kind: file-source, params: {path: /nonexistent.jsonl, format: click}}
                    sinks:
                      - {id: sink, kind: blackhole-sink, inputs: [clicks]}
                    """
                let first = try await cluster.rest.submit(spec)
                let second = try await cluster.rest.request("/jobs", method: "POST", body: Data(spec.utf8))
                #expect(second.status == 409)
                let message = try #require((try second.object()["errors"] as? [String])?.first)
                #expect(message.contains(first) && message.contains("--allow-duplicate"), "\(message)")
                #expect((try await cluster.rest.get("/jobs").object()["jobs"] as? [[String: Any]])?.count == 1,
                        "the refused submission created no job")

                let forced = try await cluster.rest.submit(spec, query: "allow-duplicate=true")
                #expect(forced != first)
                let bad = try await cluster.rest.request("/jobs?allow-duplicate=maybe", method: "POST", body: Data(spec.utf8))
                #expect(bad.status == 400)

                for id in [first, forced] {
                    #expect(try await cluster.rest.request("/jobs/\(id)?mode=cancel", method: "PATCH").status == 202)
                    try await waitUntil("job \(id) cancelled", timeout: .seconds(20)) {
                        try await cluster.rest.get("/jobs/\(id)").object()["state"] as? String == "CANCELED"
                    }
                }
                // Once the others ended, the name is free again.
                _ = try await cluster.rest.submit(spec)

                // Cancelling an ended job says so and fails; --rest takes HOST:PORT without a scheme.
                let again = try await cluster.rest.request("/jobs/\(first)?mode=cancel", method: "PATCH")
                #expect(again.status == 409 && again.text.contains("is CANCELED; there is nothing to cancel"), "\(again.text)")
                let sluice = try RepositoryLayout.executable("sluice").path
                let (status, output) = try ShellCommand.execute(sluice, ["cancel", first, "--rest", "127.0.0.1:\(cluster.restPort)"])
                #expect(status != 0 && output.contains("is CANCELED; there is nothing to cancel"), "\(output)")
                let listed = try ShellCommand.run(sluice, ["list", "--rest", "127.0.0.1:\(cluster.restPort)"])
                #expect(listed.contains(first) && listed.contains("CANCELED"), "\(listed)")
            }
        }

        @Test func unboundedJobRunsUntilCancelled() async throws {
            let broker = try DevBrokerServer.start(topics: ["clicks:2", "checkouts:2"])
            defer { broker.stop() }
            let database = try preparedDatabase(AttributionScenario(seed: 1, events: 10))
            defer { database.stop() }
            let work = try TemporaryDirectory(prefix: "sluice-tm-work")
            defer { work.remove() }
            let settings = ["SLUICE_POSTGRES_URL": database.url, "SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                            "SLUICE_TASKMANAGER_WORK_DIR": work.path]
            try await withLocalCluster("cancel", settings: settings) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(1)
                let spec = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/checkout-attribution.yaml"), encoding: .utf8)
                let submitted = try await cluster.rest.request("/jobs?parallelism=1", method: "POST", body: Data(spec.utf8))
                let jobID = try #require(try submitted.object()["jobid"] as? String, "\(submitted.text)")
                try await waitUntil("all tasks running", timeout: .seconds(30)) {
                    let tasks = (try await cluster.rest.get("/jobs/overview").object()["jobs"] as? [[String: Any]])?.first?["tasks"] as? [String: Int]
                    return tasks?["running"] == 3 && tasks?["total"] == 3
                }
                let overview = try await cluster.rest.get("/overview").object()
                #expect(overview["jobs-running"] as? Int == 1)
                #expect(overview["slots-total"] as? Int == 2 && overview["slots-available"] as? Int == 1, "\(overview)")
                // A second job takes the other slot at once (the JobManager counts slots itself, not
                // the next heartbeat); a third waits. Blackhole jobs: two jobs on one sink table are
                // the row-lock wedge of issue 23, not what this checks.
                let blackhole = """
                    name: slot-check
                    sources: [{id: clicks, kind: kafka-source, params: {topic: clicks, format: click}}]
                    sinks: [{id: out, kind: blackhole-sink, inputs: [clicks]}]
                    """
                let second = try await cluster.rest.submit(blackhole, query: "parallelism=1")
                try await waitUntil("job \(second) deployed", timeout: .seconds(20)) {
                    try await cluster.rest.jobProgress(second).state == "RUNNING"
                }
                // Asked as soon as it deployed, before any heartbeat could have told of the slot.
                #expect(try await cluster.rest.get("/overview").object()["slots-available"] as? Int == 0)
                let third = try await cluster.rest.request("/jobs?parallelism=1&allow-duplicate=true", method: "POST", body: Data(blackhole.utf8))
                let waiting = try #require(try third.object()["jobid"] as? String)
                #expect(try await cluster.rest.jobProgress(waiting).state == "CREATED", "no slot left: it waits")
                for id in [second, waiting] {
                    #expect(try await cluster.rest.request("/jobs/\(id)?mode=cancel", method: "PATCH").status == 202)
                    try await waitUntil("job \(id) cancelled", timeout: .seconds(20)) {
                        try await cluster.rest.get("/jobs/\(id)").object()["state"] as? String == "CANCELED"
                    }
                }
                #expect(try await cluster.rest.get("/overview").object()["slots-available"] as? Int == 1, "cancelled jobs gave their slots back")
                #expect(try await cluster.rest.request("/jobs/\(jobID)?mode=cancel", method: "PATCH").status == 202)
                try await waitUntil("the job to be cancelled", timeout: .seconds(20)) {
                    try await cluster.rest.get("/jobs/\(jobID)").object()["state"] as? String == "CANCELED"
                }
                #expect(try await cluster.rest.get("/overview").object()["jobs-cancelled"] as? Int == 3)
            }
        }
    }
}
