import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// The REST port over HTTPS (`rest.tls`) with the `sluice` CLI as the client: a job is
    /// submitted and followed to its end over TLS with `--cacert`; a CLI without the cluster CA,
    /// one speaking plain HTTP and (with `rest.tls: mutual`) one without a client certificate get
    /// an error saying what to give, and the JobManager logs each refused handshake. The token
    /// stays the authentication of mutating requests.
    @Suite struct RESTOverHTTPSTests {
        @Test func theCLISubmitsAndFollowsAJobOverHTTPSWithTheClusterCA() async throws {
            let files = try TemporaryDirectory(prefix: "sluice-https")
            defer { files.remove() }
            let sluice = try RepositoryLayout.executable("sluice").path
            let dir = files.url.path + "/certs"
            let (certificates, _) = try CertificateDirectory.initialize(dir)
            let tokenFile = files.url.appendingPathComponent("rest-token")
            try "https-test-token".write(to: tokenFile, atomically: true, encoding: .utf8)
            let input = files.url.appendingPathComponent("clicks.jsonl")
            try (0..<500).map { #"{"product_id":"p\#($0 % 7)","at":"2026-11-20 00:\#(String(format: "%02d", $0 / 60 % 60)):00"}"# }
                .joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
            let spec = files.url.appendingPathComponent("job.yaml")
            try """
                name: over-https
                sources:
                  - {id: clicks, kind: file-source, params: {path: "\(input.path)", schema: "product_id string, at timestamp", event-time: at}}
                operators:
                  - {id: per-minute, kind: tumbling-window, inputs: [clicks], key-by: [product_id], params: {size-ms: 60000, aggregates: "n=count(*)"}}
                sinks:
                  - {id: out, kind: blackhole-sink, inputs: [per-minute]}
                """.write(to: spec, atomically: true, encoding: .utf8)

            let settings = certificates.environment("jobmanager").merging(["SLUICE_REST_TLS": "server", "SLUICE_REST_TOKEN_FILE": tokenFile.path]) { $1 }
            try await withLocalCluster("https", settings: settings) { cluster in
                try await cluster.startJobManager()
                let jobManager = try #require(cluster.jobManager)
                #expect(jobManager.output().contains("address=https://"), "\(jobManager.output())")
                try cluster.startTaskManager(environment: certificates.environment("taskmanager"))
                // A bare host:port with --cacert is https://.
                let https = ["--rest", "127.0.0.1:\(cluster.restPort)", "--cacert", dir + "/ca.pem"]
                try await waitUntil("the TaskManager in the overview over HTTPS", timeout: .seconds(20)) {
                    try ShellCommand.run(sluice, ["overview"] + https).contains(#""taskmanagers":1"#)
                }

                // The token is still what authorises a submit.
                let (unauthorised, refusal) = try ShellCommand.execute(sluice, ["submit", spec.path] + https + ["--token", "wrong"])
                #expect(unauthorised != 0 && refusal.contains("HTTP 401"), "\(refusal)")
                let submitted = try ShellCommand.run(sluice, ["submit", spec.path] + https + ["--token", "https-test-token"])
                let job = try #require(submitted.split(whereSeparator: \.isWhitespace).map(String.init).first { $0.count == 32 && $0.allSatisfy(\.isHexDigit) },
                                       "a job id in: \(submitted)")
                try await waitUntil("the job to finish, followed over HTTPS", timeout: .seconds(60)) {
                    try ShellCommand.run(sluice, ["status", job] + https).contains("FINISHED")
                }

                // Without the cluster CA: the CLI says to give it, and the JobManager says why it refused.
                let (untrusted, untrustedMessage) = try ShellCommand.execute(
                    sluice, ["overview", "--rest", "https://127.0.0.1:\(cluster.restPort)"], directory: files.url)
                #expect(untrusted != 0 && untrustedMessage.contains("no TLS session") && untrustedMessage.contains("--cacert"),
                        "\(untrustedMessage)")
                // Plain HTTP to the HTTPS port: no answer, and a hint at https://.
                let (plain, plainMessage) = try ShellCommand.execute(sluice, ["overview", "--rest", "http://127.0.0.1:\(cluster.restPort)"],
                                                                     directory: files.url)
                #expect(plain != 0 && plainMessage.contains("use https://"), "\(plainMessage)")
                try await waitUntil("the JobManager to log the refused REST handshakes", timeout: .seconds(10)) {
                    jobManager.output().components(separatedBy: "connection=rest").count - 1 >= 2
                }
                #expect(jobManager.output().contains("TLS handshake refused"))
            }

            // rest.tls: mutual: the CA alone is not enough, a client certificate of the cluster CA is.
            try await withLocalCluster("https-mutual", settings: certificates.environment("jobmanager").merging(["SLUICE_REST_TLS": "mutual"]) { $1 }) { cluster in
                try await cluster.startJobManager()
                let https = ["--rest", "https://127.0.0.1:\(cluster.restPort)", "--cacert", dir + "/ca.pem"]
                let (anonymous, anonymousMessage) = try ShellCommand.execute(sluice, ["overview"] + https, directory: files.url)
                #expect(anonymous != 0 && anonymousMessage.contains("--cert/--key"), "\(anonymousMessage)")
                let overview = try ShellCommand.run(sluice, ["overview"] + https + ["--cert", dir + "/client.pem", "--key", dir + "/client-key.pem"])
                #expect(overview.contains(#""taskmanagers":0"#), "\(overview)")
                let jobManager = try #require(cluster.jobManager)
                try await waitUntil("the JobManager to log the refused client", timeout: .seconds(10)) {
                    jobManager.output().contains("rest.tls is mutual")
                }
            }
        }
    }
}
