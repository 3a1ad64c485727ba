import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// `make run` / `make down` are `cluster/cluster.sh up` / `down`: these run the script itself
    /// in a private folder on free ports.
    @Suite struct ClusterScriptTests {
        @Test func upStartsEverythingOnceAndDownStopsEveryProcess() async throws {
            let dir = try TemporaryDirectory(prefix: "sluice-cluster-sh")
            defer { dir.remove() }
            let restPort = try FreePort.next()
            let environment = try Self.environment(folder: dir, restPort: restPort)
            let script = RepositoryLayout.clusterScript("cluster.sh").path
            func pids() throws -> [String: Int32] {
                let folder = dir.url.appendingPathComponent("pids")
                var result: [String: Int32] = [:]
                for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".pid") {
                    let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                    result[String(file.dropLast(4))] = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                return result
            }
            func alive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

            do {
                let first = try ShellCommand.run("/bin/bash", [script, "up"], environment: environment)
                #expect(first.contains("http://127.0.0.1:\(restPort)/"), "up prints the UI URL")
                #expect(try await RESTProbe(port: restPort).taskManagerCount() == 2)
                let started = try pids()
                #expect(Set(started.keys) == ["jobmanager", "taskmanager-1", "taskmanager-2", "devbroker"])
                #expect(started.values.allSatisfy(alive))
                let secret = try String(contentsOf: dir.url.appendingPathComponent("secret"), encoding: .utf8)
                #expect(secret.count >= 40, "a generated secret")

                let second = try ShellCommand.run("/bin/bash", [script, "up"], environment: environment)
                #expect(second.contains("already running"))
                #expect(try pids() == started, "running up twice starts no second copy")
                #expect(try await RESTProbe(port: restPort).taskManagerCount() == 2)

                try ShellCommand.run("/bin/bash", [script, "down"], environment: environment)
                for (name, pid) in started {
                    try await waitUntil("\(name) (pid \(pid)) to exit") { !alive(pid) }
                }
                let postgres = try ShellCommand.execute("/bin/bash", [RepositoryLayout.clusterScript("postgres.sh").path, "status"],
                                                        environment: environment)
                #expect(postgres.status != 0, "PostgreSQL stopped too: \(postgres.output)")
            } catch {
                _ = try? ShellCommand.run("/bin/bash", [script, "down"], environment: environment)
                throw error
            }
        }
    }
}

extension IntegrationSuite.ClusterScriptTests {
    /// `make run` is `cluster.sh pipeline`: with mutual TLS between the processes (the default)
    /// and the REST API over HTTPS, the generator streams and the three jobs are submitted and
    /// run, and the CLI reaches them with the CA the script wrote.
    @Test func pipelineRunsTheJobsWithTLSEverywhere() async throws {
        let dir = try TemporaryDirectory(prefix: "sluice-pipeline-sh")
        defer { dir.remove() }
        let restPort = try FreePort.next()
        let environment = try Self.environment(folder: dir, restPort: restPort)
            .merging(["SLUICE_REST_TLS": "server", "SLUICE_EVENT_RATE": "200"]) { $1 }
        let script = RepositoryLayout.clusterScript("cluster.sh").path
        defer { _ = try? ShellCommand.run("/bin/bash", [script, "down"], environment: environment) }
        let output = try ShellCommand.run("/bin/bash", [script, "pipeline"], environment: environment)
        for job in ["checkout-attribution", "product-revenue", "trending-products"] {
            #expect(output.contains("job \(job) submitted"), "\(output)")
        }
        #expect(output.contains("https://127.0.0.1:\(restPort)/"), "up prints the HTTPS UI URL")
        let sluice = try RepositoryLayout.executable("sluice").path
        let https = ["--rest", "https://127.0.0.1:\(restPort)", "--cacert", dir.path + "/certs/ca.pem"]
        try await waitUntil("three running jobs, listed over HTTPS", timeout: .seconds(30)) {
            try ShellCommand.run(sluice, ["list"] + https).components(separatedBy: "RUNNING").count - 1 == 3
        }
        let logs = try String(contentsOf: dir.url.appendingPathComponent("logs/jobmanager.log"), encoding: .utf8)
        #expect(logs.contains("tls=mutual, TLS 1.3") && logs.contains("address=https://"), "RPC over mutual TLS, REST over HTTPS")
        #expect(!logs.contains("TLS handshake refused"), "\(logs)")
        // Running it again submits nothing twice.
        let again = try ShellCommand.run("/bin/bash", [script, "pipeline"], environment: environment)
        #expect(again.contains("job checkout-attribution already running"), "\(again)")
    }

    /// The script's variables for a cluster in `folder` on free ports (and a generated secret).
    static func environment(folder: TemporaryDirectory, restPort: Int) throws -> [String: String] {
        ["SLUICE_CLUSTER_DIR": folder.path,
         "SLUICE_BIN_DIR": RepositoryLayout.binDirectory.path,
         "SLUICE_JOBMANAGER_RPC_PORT": "\(try FreePort.next())",
         "SLUICE_JOBMANAGER_REST_PORT": "\(restPort)",
         "SLUICE_PG_PORT": "\(try FreePort.next())",
         "SLUICE_CLUSTER_SECRET": ""]
    }

    /// `make bench` deletes its cluster folder first, and the Makefile exports the dev cluster's
    /// `SLUICE_CLUSTER_DIR` (.cluster) to every target: the benchmark must use its own folder
    /// whatever is inherited, and refuse to be pointed at the dev cluster's.
    @Test func theBenchmarkNeverUsesTheDevClustersFolder() throws {
        let root = RepositoryLayout.root.path
        let script = "root='\(root)'; source bench/lib.sh; echo \"dir=$SLUICE_CLUSTER_DIR\""
        let inherited = try ShellCommand.run("/bin/bash", ["-c", "cd '\(root)' && " + script],
                                             environment: ["SLUICE_CLUSTER_DIR": "\(root)/.cluster"])
        #expect(inherited.contains("dir=\(root)/.cluster/bench"), "\(inherited)")
        let (status, refused) = try ShellCommand.execute("/bin/bash", ["-c", "cd '\(root)' && " + script],
                                                         environment: ["SLUICE_BENCH_CLUSTER_DIR": "\(root)/.cluster/"])
        #expect(status == 2 && refused.contains("is the dev cluster's folder"), "\(refused)")
    }
}
