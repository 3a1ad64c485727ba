import Foundation
import SluicePostgres
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// The cluster secret, the REST token and a database password never show up in the logs, in
    /// REST answers (job details, exceptions, checkpoints, sink preview, /config, /metrics) or in
    /// the TaskManagers' metrics — also when a job fails on a connection whose URL holds the
    /// password. (PostgreSQL trusts loopback here, so the password is accepted and ignored.)
    @Suite struct SecretsHygieneTests {
        @Test func knownSecretsAppearNowhere() async throws {
            let database = try PostgresServer.start()
            defer { database.stop() }
            let connection = try PostgresConnection.connect(url: database.url)
            _ = try connection.simpleQuery(try RepositoryLayout.schemaSQL())
            let password = "pw-\(UUID().uuidString.prefix(12))"
            let withPassword = database.url.replacingOccurrences(of: "postgresql://sluice@", with: "postgresql://sluice:\(password)@")
            #expect(withPassword.contains(password), "\(database.url)")
            let files = try TemporaryDirectory(prefix: "sluice-secrets")
            defer { files.remove() }
            let token = "token-\(UUID().uuidString)"
            let tokenFile = files.url.appendingPathComponent("rest-token")
            try token.write(to: tokenFile, atomically: true, encoding: .utf8)
            let input = files.url.appendingPathComponent("checkouts.jsonl")
            try (0..<500).map { #"{"checkout_id":"o-\#($0)","product_id":"p\#($0 % 7)","total_amount":1.5,"datetime_occured":"2026-11-20 00:0\#($0 % 10):00"}"# }
                .joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
            func spec(name: String, url: String) -> String {
                """
                name: \(name)
                parallelism: 1
                sources:
                  - id: checkouts
                    kind: file-source
                    params: {path: "\(input.path)", schema: "checkout_id string, product_id string, total_amount decimal(12,2), checkout_time timestamp",
                             event-time: checkout_time, fields: "checkout_time=datetime_occured"}
                operators:
                  - {id: per-minute, kind: tumbling-window, inputs: [checkouts], key-by: [product_id],
                     params: {size-ms: 60000, aggregates: "revenue=sum(total_amount), checkouts=count(*)"}}
                sinks:
                  - {id: sink, kind: postgres-sink, inputs: [per-minute],
                     params: {table: commerce.product_revenue_minutely, key: "product_id, window_start", postgres: "\(url)"}}
                restart: {max-attempts: 1, initial-backoff-ms: 50}
                """
            }
            try await withLocalCluster("secrets", settings: ["SLUICE_REST_TOKEN_FILE": tokenFile.path,
                                                             "SLUICE_POSTGRES_URL": withPassword]) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(1)
                let auth = ["Authorization": "Bearer \(token)"]
                func submit(_ yaml: String) async throws -> String {
                    let reply = try await cluster.rest.request("/jobs", method: "POST", body: Data(yaml.utf8), headers: auth)
                    return try #require(try reply.object()["jobid"] as? String, "\(reply.text)")
                }
                let good = try await submit(spec(name: "good", url: withPassword))
                try await cluster.rest.waitForJobToFinish(good, timeout: .seconds(60))
                // Port 1: nothing listens, the connection fails with the password in its URL.
                let broken = try await submit(spec(name: "broken", url: withPassword.replacingOccurrences(of: ":\(database.port)/", with: ":1/")))
                try await waitUntil("the broken job to fail", timeout: .seconds(60)) {
                    try await cluster.rest.jobProgress(broken).state == "FAILED"
                }

                var answers: [String: String] = [:]
                for path in ["/config", "/overview", "/jobs", "/jobs/overview", "/taskmanagers", "/metrics"]
                    + [good, broken].flatMap({ ["/jobs/\($0)", "/jobs/\($0)/exceptions", "/jobs/\($0)/checkpoints", "/jobs/\($0)/sink-preview"] }) {
                    answers[path] = try await cluster.rest.get(path).text
                }
                let exceptions = answers["/jobs/\(broken)/exceptions"] ?? ""
                #expect(exceptions.contains("127.0.0.1") || exceptions.contains("port 1"), "the failure is there, only redacted: \(exceptions)")
                for member in try await cluster.rest.taskManagers() {
                    let list = try await cluster.rest.get("/taskmanagers").object()["taskmanagers"] as? [[String: Any]] ?? []
                    if let port = list.first(where: { $0["id"] as? String == member.id })?["metricsPort"] as? Int, port > 0 {
                        answers["taskmanager \(member.id) /metrics"] = try await RESTProbe(port: port).get("/metrics").text
                    }
                }
                answers["logs"] = cluster.logs()
                for (what, text) in answers {
                    for (name, secret) in [("cluster secret", cluster.secret), ("REST token", token), ("database password", password)] {
                        #expect(!text.contains(secret), "the \(name) appears in \(what)")
                    }
                }
            }
        }
    }
}
