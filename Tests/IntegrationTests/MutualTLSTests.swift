import Foundation
import SluiceTLS
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// A local cluster with mutual TLS from `sluice certs init`: a job whose keyed exchange
    /// crosses two TaskManagers finishes; a plaintext TaskManager and one with a certificate of
    /// another CA are refused (and the logs say why), and one with an expired certificate does
    /// not start. (The refusals at the TLS layer itself: `ClusterTLSTests`.)
    @Suite struct MutualTLSTests {
        @Test func aClusterRunsOverMutualTLSAndRefusesPeersWithoutTheClusterCA() async throws {
            let files = try TemporaryDirectory(prefix: "sluice-mtls")
            defer { files.remove() }
            let sluice = try RepositoryLayout.executable("sluice").path
            let dir = files.url.path + "/certs"
            let (certificates, written) = try CertificateDirectory.initialize(dir)
            #expect(written.contains("taskmanager-key.pem"), "\(written)")
            let (other, _) = try CertificateDirectory.initialize(files.url.path + "/other")
            let (again, refusal) = try ShellCommand.execute(sluice, ["certs", "init", dir])
            #expect(again != 0 && refusal.contains("ca.pem exists"), "\(refusal)")
            let input = files.url.appendingPathComponent("clicks.jsonl")
            try (0..<2000).map { #"{"product_id":"p\#($0 % 13)","at":"2026-11-20 00:\#(String(format: "%02d", $0 / 60 % 60)):00"}"# }
                .joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
            try await withLocalCluster("mtls", settings: certificates.environment("jobmanager")) { cluster in
                try await cluster.startJobManager()
                // One slot each: the two subtasks of every vertex run on different TaskManagers.
                for _ in 0..<2 { try cluster.startTaskManager(slots: 1, environment: certificates.environment("taskmanager")) }
                try await cluster.waitForTaskManagers(2)
                let job = try await cluster.rest.submit("""
                    name: tls
                    parallelism: 2
                    sources:
                      - {id: clicks, kind: file-source, params: {path: "\(input.path)", schema: "product_id string, at timestamp", event-time: at}}
                    operators:
                      - {id: per-minute, kind: tumbling-window, inputs: [clicks], key-by: [product_id], params: {size-ms: 60000, aggregates: "n=count(*)"}}
                    sinks:
                      - {id: out, kind: blackhole-sink, inputs: [per-minute]}
                    """)
                try await cluster.rest.waitForJobToFinish(job, timeout: .seconds(60))

                let jobManager = try #require(cluster.jobManager)
                #expect(jobManager.output().contains("mutual, TLS 1.3"))
                // The JobManager's check of each data port is a TLS handshake too: nothing refused.
                #expect(!cluster.logs().contains("TLS handshake refused"), "\(cluster.logs())")
                #expect(!jobManager.output().contains("data port is not reachable"))
                let plaintext = try cluster.startTaskManager(environment: ["SLUICE_TLS_CA_FILE": "", "SLUICE_TLS_CERT_FILE": "", "SLUICE_TLS_KEY_FILE": ""])
                try await waitUntil("the JobManager to refuse the plaintext TaskManager", timeout: .seconds(30)) {
                    jobManager.output().contains("TLS handshake refused")
                }
                let stranger = try cluster.startTaskManager(environment: other.environment("taskmanager"))
                try await waitUntil("the TaskManager of another CA to refuse the JobManager", timeout: .seconds(30)) {
                    stranger.output().contains("TLS handshake refused")
                }
                #expect(try await cluster.rest.taskManagerCount() == 2, "neither joined")
                #expect(plaintext.isRunning && stranger.isRunning, "they keep retrying, as after any refused connection")

                // A certificate of the cluster CA that expired an hour ago: the process says so and exits.
                let authority = try ClusterCertificates(certificatePEM: String(contentsOfFile: dir + "/ca.pem", encoding: .utf8),
                                                        keyPEM: String(contentsOfFile: dir + "/ca-key.pem", encoding: .utf8))
                let now = Date()
                let (certificate, key) = try authority.issue(name: "old", hosts: ["127.0.0.1"], notValidBefore: now.addingTimeInterval(-7200),
                                                             notValidAfter: now.addingTimeInterval(-3600))
                try certificate.write(toFile: dir + "/old.pem", atomically: true, encoding: .utf8)
                try key.write(toFile: dir + "/old-key.pem", atomically: true, encoding: .utf8)
                let expired = try cluster.startTaskManager(environment: certificates.environment("old"))
                try await expired.waitForExit(timeout: .seconds(20))
                #expect(expired.exitStatus != 0 && expired.output().contains("expired on"), "\(expired.output())")
            }
        }
    }
}
