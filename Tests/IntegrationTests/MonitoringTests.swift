import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// `make monitor` end to end: `cluster/monitor.sh` starts Debian's real Prometheus against a
    /// live cluster (JobManager + 3 TaskManagers running the attribution job on a live Kafka
    /// stream into PostgreSQL); Prometheus finds every process through `GET /prometheus/targets`
    /// and scrapes it; every metric the Grafana dashboard queries is exported and every query is
    /// valid PromQL; `monitor.sh stop` ends Prometheus.
    @Suite struct MonitoringTests {
        @Test func prometheusFromMonitorScriptScrapesEveryProcessAndTheDashboardQueriesOnlyExportedMetrics() async throws {
            let services = try LiveAttributionServices.start(topics: ["clicks:8", "checkouts:8"])
            defer { services.stop() }
            let work = try TemporaryDirectory(prefix: "sluice-tm-work")
            defer { work.remove() }
            let settings = services.clusterSettings.merging(["SLUICE_TASKMANAGER_WORK_DIR": work.path]) { _, new in new }
            try await withLocalCluster("monitoring", settings: settings, removeFilesOnSuccess: true) { cluster in
                // A live stream: events stamped with the wall clock, until stopped.
                let generator = try services.liveStream(rate: 400, logDirectory: cluster.logDirectory)
                let monitor = try MonitorScript(restPort: cluster.restPort)
                do {
                    try await check(cluster: cluster, monitor: monitor)
                } catch {
                    _ = try? monitor.run("stop")
                    monitor.directory.remove()
                    await generator.stop()
                    throw error
                }
                monitor.directory.remove()
                await generator.stop()
            }
        }

        private func check(cluster: LocalCluster, monitor: MonitorScript) async throws {
            let refused = try ShellCommand.execute("/bin/bash", [MonitorScript.script, "start"],
                                                   environment: monitor.environment.merging(["SLUICE_JOBMANAGER_REST_PORT": "\(try FreePort.next())"]) { _, new in new })
            #expect(refused.status != 0 && refused.output.contains("start the cluster first: make run"), "\(refused.output)")

            try await cluster.startJobManager()
            for _ in 0..<3 { try cluster.startTaskManager(slots: 1) }
            try await cluster.waitForTaskManagers(3)
            let spec = try LiveAttributionServices.attributionSpec(replacing: ["interval-ms: 2000": "interval-ms: 1000"])
            let jobID = try await cluster.rest.submit(spec, query: "parallelism=3")
            try await cluster.rest.waitForAllTasksRunning(jobID)
            try await cluster.rest.waitForCheckpoint(jobID, after: nil)

            // 1. Prometheus through the script, twice: the second start finds it running.
            let started = try monitor.run("start")
            #expect(started.contains("http://127.0.0.1:\(monitor.port)/"), "start prints the URL:\n\(started)")
            let pid = try #require(monitor.pid, "pid file after start:\n\(started)")
            let again = try monitor.run("start")
            #expect(again.contains("already running") && monitor.pid == pid, "\(again)")
            let prometheus = RESTProbe(port: monitor.port)

            // 2. Every TaskManager's records counter arrives, and all four targets are up.
            let instances = try await waitFor("sluice_task_records_in_total > 0 from 3 targets in Prometheus", timeout: .seconds(60),
                                              interval: .milliseconds(500)) { () async throws -> Set<String>? in
                let counting = try await Self.query(prometheus, "sluice_task_records_in_total > 0").compactMap { $0.labels["instance"] }
                return Set(counting).count >= 3 ? Set(counting) : nil
            }
            let metricsPorts = try #require(try await cluster.rest.get("/taskmanagers").object()["taskmanagers"] as? [[String: Any]])
                .compactMap { $0["metricsPort"] as? Int }
            #expect(instances == Set(metricsPorts.map { "127.0.0.1:\($0)" }), "the samples come from the three TaskManagers")
            let up = try await waitFor("4 targets up", timeout: .seconds(30), interval: .milliseconds(500)) { () async throws -> [QueryResult]? in
                let up = try await Self.query(prometheus, "up")
                return up.count == 4 && up.allSatisfy({ $0.value == "1" }) ? up : nil
            }
            #expect(Set(up.compactMap { $0.labels["role"] }) == ["jobmanager", "taskmanager"])
            #expect(up.contains { $0.labels["instance"] == "127.0.0.1:\(cluster.restPort)" }, "the JobManager is scraped")

            // 3. The dashboard queries only exported metrics, in valid PromQL.
            let expressions = try Self.dashboardExpressions()
            #expect(expressions.count >= 20, "the dashboard's panels query Prometheus")
            var exported = Set<String>()
            for port in [cluster.restPort] + metricsPorts {
                exported.formUnion(Set(try PrometheusText(try await RESTProbe(port: port).get("/metrics").text).samples.map(\.name)))
            }
            let queried = Set(expressions.flatMap { $0.matches(of: /sluice_[a-z0-9_]+/).map { String($0.output) } })
            let missing = queried.filter { !exported.contains($0) && !exported.contains($0 + "_bucket") }.sorted()
            #expect(missing.isEmpty, "queried by the dashboard but exported by no process of the cluster: \(missing)")
            for expression in expressions {
                let promQL = expression.replacingOccurrences(of: "$__rate_interval", with: "30s")
                    .replacingOccurrences(of: "$job", with: ".*").replacingOccurrences(of: "$taskmanager", with: ".*")
                let reply = try await prometheus.get("/api/v1/query?query=\(Self.encoded(promQL))")
                #expect(try reply.object()["status"] as? String == "success", "\(promQL): \(reply.text)")
            }

            // 4. The script stops it.
            try monitor.run("stop")
            try await waitUntil("prometheus (pid \(pid)) to exit") { !Self.alive(pid) }
            #expect(monitor.pid == nil, "the pid file is gone")
            #expect((try? await prometheus.get("/-/ready")) == nil, "nothing answers on port \(monitor.port) any more")

            // 5. `make down` (cluster.sh down, same cluster folder) stops a running one too.
            try monitor.run("start")
            let restarted = try #require(monitor.pid)
            try ShellCommand.run("/bin/bash", [RepositoryLayout.clusterScript("cluster.sh").path, "down"], environment: monitor.environment)
            try await waitUntil("prometheus (pid \(restarted)) to exit after cluster.sh down") { !Self.alive(restarted) }
        }

        /// `cluster/monitor.sh` with a private cluster folder (`SLUICE_CLUSTER_DIR`), the test cluster's
        /// REST port and a free Prometheus port. Owned by one test; it removes `directory`.
        struct MonitorScript {
            static let script = RepositoryLayout.clusterScript("monitor.sh").path
            let directory: TemporaryDirectory
            let port: Int
            let environment: [String: String]

            init(restPort: Int) throws {
                directory = try TemporaryDirectory(prefix: "sluice-monitor")
                port = try FreePort.next()
                environment = ["SLUICE_CLUSTER_DIR": directory.path, "SLUICE_JOBMANAGER_REST_PORT": "\(restPort)", "MONITOR_PORT": "\(port)"]
            }

            @discardableResult
            func run(_ command: String) throws -> String {
                try ShellCommand.run("/bin/bash", [Self.script, command], environment: environment)
            }

            /// The pid the script recorded, nil without a pid file.
            var pid: Int32? {
                (try? String(contentsOf: directory.url.appendingPathComponent("pids/prometheus.pid"), encoding: .utf8))
                    .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            }
        }

        /// One sample of an instant-query answer.
        struct QueryResult {
            var labels: [String: String]
            var value: String
        }

        /// `GET /api/v1/query`; throws unless Prometheus answers `success`.
        private static func query(_ prometheus: RESTProbe, _ promQL: String) async throws -> [QueryResult] {
            let reply = try await prometheus.get("/api/v1/query?query=\(encoded(promQL))")
            let body = try reply.object()
            guard body["status"] as? String == "success", let results = (body["data"] as? [String: Any])?["result"] as? [[String: Any]] else {
                throw TestSupportError.commandFailed(command: "query \(promQL)", status: Int32(reply.status), output: reply.text)
            }
            return results.map { result in
                QueryResult(labels: result["metric"] as? [String: String] ?? [:],
                            value: (result["value"] as? [Any])?.last as? String ?? "")
            }
        }

        private static func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
        }

        /// Every `expr` of every panel target in `cluster/grafana/sluice-dashboard.json` (rows included).
        private static func dashboardExpressions() throws -> [String] {
            let file = RepositoryLayout.root.appendingPathComponent("cluster/grafana/sluice-dashboard.json")
            let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            func expressions(_ panels: [[String: Any]]) -> [String] {
                panels.flatMap { panel in
                    ((panel["targets"] as? [[String: Any]]) ?? []).compactMap { $0["expr"] as? String }
                        + expressions(panel["panels"] as? [[String: Any]] ?? [])
                }
            }
            return expressions(dashboard["panels"] as? [[String: Any]] ?? [])
        }

        /// Whether `pid` still runs (a zombie waiting for its parent to reap it counts as gone).
        private static func alive(_ pid: Int32) -> Bool {
            guard kill(pid, 0) == 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            return !(stat.components(separatedBy: ") ").last?.hasPrefix("Z") ?? false)
        }
    }
}
