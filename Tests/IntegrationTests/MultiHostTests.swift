import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Sluice across hosts: the JobManager, three TaskManagers, PostgreSQL and Kafka each in a
    /// network namespace of their own (`MultiHostCluster`), talking only over a private bridge.
    /// Serialized: each test checks that the machine's namespaces are the same before and after.
    @Suite(.serialized) struct MultiHostTests {
        /// The bounded attribution job (exactly once, parallelism 2) over three TaskManagers on
        /// three hosts; `sluice verify` finds the sink equal to the SQL recomputation, and the
        /// namespaces and every process are gone afterwards.
        @Test func theAttributionRunsAcrossHostsAndLeavesNothingBehind() async throws {
            let namespacesBefore = try NetnsCluster.namespaces()
            let cluster = try MultiHostCluster(topics: ["clicks:4", "checkouts:4"])
            let names = cluster.net.hosts.map { "sl-\(cluster.net.name)-\($0)" } + ["sl-\(cluster.net.name)-br"]
            var pids: [Int32] = []
            var processes: [ManagedProcess] = []
            do {
                #expect(Set(try NetnsCluster.namespaces()).isSuperset(of: names))
                let generated = try cluster.sluice(["datagen", "--kafka", cluster.kafkaBootstrap, "--postgres", cluster.postgresURL,
                                                    "--apply-schema", "--schema", RepositoryLayout.clusterScript("schema.sql").path,
                                                    "--seed", "7", "--events", "20000", "--rate", "0", "--malformed-share", "0.01",
                                                    "--disorder-ms", "5000", "--start-time", "2026-11-20 00:00:00"])
                try #require(generated.status == 0, "datagen: \(generated.output)")
                try await cluster.startJobManager()
                for host in ["tm1", "tm2", "tm3"] { try cluster.startTaskManager(on: host) }
                try await cluster.waitForTaskManagers(3)
                let registered = try cluster.registeredTaskManagers()
                #expect(Set(registered.compactMap { $0["host"] as? String }) ==
                        Set(["tm1", "tm2", "tm3"].map { cluster.net.address($0) }), "\(registered)")
                #expect(registered.allSatisfy { $0["dataPortReachable"] as? Bool == true }, "\(registered)")

                let spec = try LiveAttributionServices.attributionSpec(replacing: [
                    "format: click}": "format: click, bounded: true}", "format: checkout}": "format: checkout, bounded: true}",
                    "interval-ms: 2000": "interval-ms: 1000"])
                let job = try cluster.submit(spec)
                let finished = try await cluster.waitForJob(job, state: "FINISHED", timeout: .seconds(180))
                #expect(finished.numRestarts == 0, "\(finished)")
                let verified = try cluster.sluice(["verify", "--kafka", cluster.kafkaBootstrap, "--postgres", cluster.postgresURL])
                #expect(verified.status == 0, "sluice verify:\n\(verified.output)\n\(cluster.logs())")
            } catch {
                Issue.record("\(error)\n\(cluster.logs())")
            }
            // Everything in the hosts, also what the scripts started detached (PostgreSQL, the
            // dev broker, the relays), must be gone once the cluster is.
            pids = try cluster.net.pids()
            processes = [cluster.jobManager].compactMap { $0 } + cluster.taskManagers.values
            #expect(pids.count >= 6, "processes in the hosts: \(pids)")
            cluster.stop()
            #expect(try NetnsCluster.namespaces() == namespacesBefore, "namespaces left behind")
            try await waitUntil("every process of the hosts gone", timeout: .seconds(15), interval: .milliseconds(100)) {
                pids.allSatisfy { !NetnsCluster.isAlive($0) } && processes.allSatisfy { !$0.isRunning }
            }
        }
    }
}
