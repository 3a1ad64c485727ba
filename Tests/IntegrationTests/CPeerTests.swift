import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// The protocol is language-neutral: a C program built with protoc-c from the same .proto
    /// completes the handshake and reads the cluster status.
    @Suite struct CPeerTests {
        private func peer() throws -> String {
            let path = ProcessInfo.processInfo.environment["SLUICE_CPEER"]
                ?? RepositoryLayout.root.appendingPathComponent(".build-cpeer/sluice-status-peer").path
            guard FileManager.default.isExecutableFile(atPath: path) else { throw TestSupportError.missingExecutable(path) }
            return path
        }

        @Test func cPeerAuthenticatesAndReadsClusterStatus() async throws {
            try await withLocalCluster("cpeer") { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let (status, output) = try ShellCommand.execute(
                    try peer(), ["--address", cluster.rpcAddress, "--cluster-id", cluster.clusterID],
                    environment: ["SLUICE_CLUSTER_SECRET": cluster.secret])
                #expect(status == 0, "peer output: \(output)")
                let json = try #require(output.split(separator: "\n").first { $0.hasPrefix("{") })
                let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
                #expect(object["cluster_id"] as? String == cluster.clusterID)
                #expect(object["slots_total"] as? Int == 4)
                #expect((object["task_managers"] as? [Any])?.count == 2)
            }
        }

        @Test func cPeerWithAWrongSecretIsRefused() async throws {
            try await withLocalCluster("cpeer-wrong") { cluster in
                try await cluster.startJobManager()
                let (status, output) = try ShellCommand.execute(
                    try peer(), ["--address", cluster.rpcAddress, "--cluster-id", cluster.clusterID],
                    environment: ["SLUICE_CLUSTER_SECRET": "wrong"])
                #expect(status == 3, "peer output: \(output)")
                #expect(output.contains("server failed authentication"))
            }
        }
    }
}
