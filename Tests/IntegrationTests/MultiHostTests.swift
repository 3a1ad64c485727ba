import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Sluice across hosts: the JobManager, three TaskManagers, PostgreSQL and Kafka each in a
    /// network namespace of their own (`MultiHostCluster`), talking only over a private bridge,
    /// the Sluice processes over mutual TLS.
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
                try Self.generateInput(cluster, seed: 7)
                try await cluster.startJobManager()
                for host in ["tm1", "tm2", "tm3"] { try cluster.startTaskManager(on: host) }
                try await cluster.waitForTaskManagers(3)
                let registered = try cluster.registeredTaskManagers()
                #expect(Set(registered.compactMap { $0["host"] as? String }) ==
                        Set(["tm1", "tm2", "tm3"].map { cluster.net.address($0) }), "\(registered)")
                #expect(registered.allSatisfy { $0["dataPortReachable"] as? Bool == true }, "\(registered)")
                #expect(cluster.jobManager?.output().contains("tls=mutual, TLS 1.3") == true, "the hosts talk over mutual TLS")
                // The REST API is HTTPS too; the CLI on another host checks the JobManager's address against its certificate.
                let overview = try cluster.sluice(["overview", "--rest", cluster.restURL,
                                                   "--cacert", cluster.certificates.caFile])
                #expect(overview.status == 0 && overview.output.contains(#""taskmanagers":3"#), "\(overview.output)")

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
    
        /// A TaskManager that runs tasks loses PostgreSQL only (its packets to the `pg` host go
        /// nowhere): a query in flight gets no answer, so the connection's TCP timeout (20 s)
        /// fails the sink's epoch; the link comes back once the job has restarted, and the job
        /// completes, and `sluice verify` finds nothing lost or doubled. (Without the timeout
        /// the sink waited on its silent connection for the kernel's ~15 minutes.)
        @Test func aTaskManagerCutOffFromPostgreSQLOnlyRecoversOnceTheLinkReturns() async throws {
            try await Self.withRunningJob("pgcut") { cluster, job in
                let host = try Self.busyTaskManager(cluster)
                try cluster.net.block(host, from: "pg")
                try await waitUntil("the job restarts while \(host) cannot reach PostgreSQL", timeout: .seconds(60), interval: .milliseconds(250)) {
                    try cluster.jobProgress(job).numRestarts > 0
                }
                try cluster.net.unblock(host, from: "pg")
            }
        }

        /// The JobManager is SIGKILLed mid-run and started again on its host: the TaskManagers
        /// reconnect, the job resumes from its latest checkpoint and completes exactly once.
        @Test func theJobManagerKilledMidRunResumesWithNothingLostOrDoubled() async throws {
            try await Self.withRunningJob("jmkill") { cluster, _ in
                try await cluster.jobManager?.kill()
                try await cluster.startJobManager()
                try await cluster.waitForTaskManagers(3)
            }
        }

        /// A TaskManager running tasks is cut off from every other host (its link goes down at the
        /// bridge, so its packets vanish, as in a partition) for longer than the heartbeat
        /// timeout. The JobManager declares it lost and restarts the job on the spare host; the
        /// cut-off TaskManager notices the silence on its side and cancels its tasks, so none of
        /// them can commit a row for the old attempt (the new attempt's sinks also raised their
        /// fences); once the link is back it registers again. The output is exact.
        @Test func aTaskManagerCutOffFromEveryHostIsReplacedAndRegistersAgainOnceHealed() async throws {
            try await Self.withRunningJob("zombie") { cluster, job in
                let host = try Self.busyTaskManager(cluster)
                let zombie = try #require(cluster.taskManagers[host])
                try cluster.net.cut(host)
                try await waitUntil("the JobManager declares \(host) lost and restarts the job", timeout: .seconds(30),
                                    interval: .milliseconds(250)) {
                    try cluster.jobProgress(job).numRestarts > 0 && cluster.registeredTaskManagers().count == 2
                }
                try await waitUntil("\(host) cancels its tasks on its own", timeout: .seconds(30), interval: .milliseconds(250)) {
                    zombie.output().contains("cancelling all tasks") && zombie.output().contains("lost the connection to the JobManager")
                }
                #expect(zombie.isRunning, "a partition does not kill the TaskManager")
                try cluster.net.heal(host)
                try await cluster.waitForTaskManagers(3, timeout: .seconds(60))
                #expect(cluster.jobManager?.output().contains("sink recovered and fenced older attempts") == true ||
                        cluster.taskManagers.values.contains { $0.output().contains("sink recovered and fenced older attempts") },
                        "the new attempt's sinks raise their fences")
            }
        }

        /// The TaskManager running the whole job (the only one when it was submitted; the two
        /// others joined as spares) is cut off from the JobManager only, both ways, while
        /// PostgreSQL and the broker stay reachable. Its own heartbeat timeout is 60 s, so it
        /// keeps running its tasks as a zombie after the JobManager declared it lost (4 s) and
        /// restarted the job on the spares, whose sinks raised their fences. The zombie's sources
        /// read on to the end of the bounded input, and its sink's final commit meets the fence:
        /// refused ("is fenced"), so not one of its rows is committed. Unblocked, it registers
        /// again; `sluice verify` finds the output exact.
        @Test func aZombieCutOffFromTheJobManagerOnlyIsRefusedByTheFenceWhenItCommits() async throws {
            try await Self.withRunningJob("fenced", firstHosts: ["tm1"],
                                          environment: ["tm1": ["SLUICE_HEARTBEAT_TIMEOUT_MS": "60000"]]) { cluster, job in
                let zombie = try #require(cluster.taskManagers["tm1"])
                try cluster.net.block("tm1", from: "jm")
                try cluster.net.block("jm", from: "tm1")
                try await waitUntil("the JobManager declares tm1 lost and restarts the job on the spares", timeout: .seconds(30),
                                    interval: .milliseconds(250)) {
                    try cluster.jobProgress(job).numRestarts > 0 && cluster.registeredTaskManagers().count == 2
                }
                try await waitUntil("the zombie's sink to be refused by the fence", timeout: .seconds(90), interval: .milliseconds(250)) {
                    zombie.output().contains("is fenced")
                }
                #expect(!zombie.output().contains("lost the connection to the JobManager"),
                        "the zombie still ran its tasks when the fence refused it")
                try cluster.net.unblock("tm1", from: "jm")
                try cluster.net.unblock("jm", from: "tm1")
                try await cluster.waitForTaskManagers(3, timeout: .seconds(90))
            }
        }

        /// PostgreSQL is shut down on its host mid-run and started again once the job felt it (it
        /// restarted, or a TaskManager is retrying its connection): the job recovers and
        /// completes exactly once.
        @Test func postgreSQLRestartedMidRunLosesAndDuplicatesNothing() async throws {
            try await Self.withRunningJob("pgrestart") { cluster, job in
                try await cluster.restartPostgres(downUntil: "the job feels the outage") {
                    try cluster.jobProgress(job).numRestarts > 0
                        || cluster.taskManagers.values.contains { $0.output().contains("PostgreSQL unavailable") }
                }
            }
        }

        /// The links between the TaskManagers get slow and lossy (each host's packets from the
        /// others delayed 50 ± 10 ms and 1 % of them dropped: `tc netem delay 50ms 10ms loss 1%`,
        /// built from netfilter because this kernel has no sch_netem). One-slot TaskManagers, so
        /// the job's keyed exchange crosses them. The same bounded attribution runs first on the
        /// clean links, then on the degraded ones: both finish without a restart and `sluice
        /// verify` passes after each; the packets really were delayed and dropped. The two
        /// throughputs are printed (`make bench` records them; a test asserts no speed).
        @Test func slowAndLossyLinksBetweenTaskManagersChangeNothingButTheSpeed() async throws {
            let events = Int(ProcessInfo.processInfo.environment["SLUICE_BENCH_NETEM_EVENTS"] ?? "") ?? 20_000
            let cluster = try MultiHostCluster(topics: ["clicks:4", "checkouts:4"])
            defer { cluster.stop() }
            try Self.generateInput(cluster, seed: 5, events: events)
            try await cluster.startJobManager()
            let hosts = ["tm1", "tm2", "tm3"]
            for host in hosts { try cluster.startTaskManager(on: host, slots: 1) }
            try await cluster.waitForTaskManagers(3)
            let spec = try LiveAttributionServices.attributionSpec(replacing: [
                "format: click}": "format: click, bounded: true}", "format: checkout}": "format: checkout, bounded: true}",
                "interval-ms: 2000": "interval-ms: 1000"])

            func run(_ label: String) async throws -> Double {
                _ = try cluster.sql("TRUNCATE commerce.attributed_checkouts")
                let started = ContinuousClock.now
                let job = try cluster.submit(spec)
                let finished = try await cluster.waitForJob(job, state: "FINISHED", timeout: .seconds(600))
                let seconds = (ContinuousClock.now - started) / .seconds(1)
                #expect(finished.numRestarts == 0, "\(label): \(finished)")
                let verified = try cluster.sluice(["verify", "--kafka", cluster.kafkaBootstrap, "--postgres", cluster.postgresURL])
                #expect(verified.status == 0, "\(label): sluice verify:\n\(verified.output)\n\(cluster.logs())")
                return seconds
            }

            let clean = try await run("clean links")
            for host in hosts {
                try cluster.net.degrade(host, from: hosts.filter { $0 != host }, delayMilliseconds: 50, jitterMilliseconds: 10, lossPercent: 1)
            }
            let degraded = try await run("netem")
            var delayed = 0, dropped = 0
            for host in hosts {
                let counts = try await cluster.net.restore(host)
                delayed += counts.delayed
                dropped += counts.dropped
            }
            #expect(delayed > 100 && dropped > 0, "the links were degraded: \(delayed) packets delayed, \(dropped) dropped")
            let line = String(format: "netem-throughput events=%d clean_s=%.2f netem_s=%.2f clean_eps=%.0f netem_eps=%.0f ratio=%.3f delayed=%d dropped=%d",
                              events, clean, degraded, Double(events) / clean, Double(events) / degraded, clean / degraded, delayed, dropped)
            print(line)
        }

        /// Generates input, starts the cluster and a bounded attribution slowed to ~20 s,
        /// waits for its first checkpoint, runs `fault`, then requires the job to finish and
        /// `sluice verify` to pass; the namespaces are gone afterwards.
        ///
        /// `firstHosts`: the TaskManagers started before the job (the others join once it has
        /// checkpointed, as spares), each with `environment[host]` added.
        static func withRunningJob(_ name: String, firstHosts: [String] = ["tm1", "tm2", "tm3"],
                                   environment: [String: [String: String]] = [:],
                                   fault: (MultiHostCluster, String) async throws -> Void) async throws {
            let namespacesBefore = try NetnsCluster.namespaces()
            let cluster = try MultiHostCluster(topics: ["clicks:4", "checkouts:4"])
            defer { cluster.stop() }
            try generateInput(cluster, seed: 11)
            try await cluster.startJobManager()
            let hosts = ["tm1", "tm2", "tm3"]
            for host in firstHosts { try cluster.startTaskManager(on: host, environment: environment[host] ?? [:]) }
            try await cluster.waitForTaskManagers(firstHosts.count)
            let spec = try LiveAttributionServices.attributionSpec(replacing: [
                "format: click}": "format: click, bounded: true, max-records-per-second: 450}",
                "format: checkout}": "format: checkout, bounded: true, max-records-per-second: 50}",
                "interval-ms: 2000": "interval-ms: 1000", "max-backoff-ms: 10000": "max-backoff-ms: 2000"])
            let job = try cluster.submit(spec)
            try await waitUntil("a first checkpoint of \(name)", timeout: .seconds(60), interval: .milliseconds(250)) {
                let checkpoints = try cluster.restJSON("/jobs/\(job)/checkpoints")
                return ((checkpoints["counts"] as? [String: Any])?["completed"] as? Int ?? 0) > 0
            }
            for host in hosts where !firstHosts.contains(host) {
                try cluster.startTaskManager(on: host, environment: environment[host] ?? [:])
            }
            try await cluster.waitForTaskManagers(hosts.count)
            do {
                try await fault(cluster, job)
                let finished = try await cluster.waitForJob(job, state: "FINISHED", timeout: .seconds(240))
                let verified = try cluster.sluice(["verify", "--kafka", cluster.kafkaBootstrap, "--postgres", cluster.postgresURL])
                #expect(verified.status == 0, "sluice verify after \(name) (\(finished)):\n\(verified.output)\n\(cluster.logs())")
            } catch {
                Issue.record("\(error)\n\(cluster.logs())")
            }
            cluster.stop()
            #expect(try NetnsCluster.namespaces() == namespacesBefore, "namespaces left behind")
        }

        /// 20,000 events (1 % malformed, 5 s of disorder) into the cluster's topics, and its users.
        static func generateInput(_ cluster: MultiHostCluster, seed: Int, events: Int = 20_000) throws {
            let generated = try cluster.sluice(["datagen", "--kafka", cluster.kafkaBootstrap, "--postgres", cluster.postgresURL,
                                                "--apply-schema", "--schema", RepositoryLayout.clusterScript("schema.sql").path,
                                                "--seed", "\(seed)", "--events", "\(events)", "--rate", "0", "--malformed-share", "0.01",
                                                "--disorder-ms", "5000", "--start-time", "2026-11-20 00:00:00"])
            try #require(generated.status == 0, "datagen: \(generated.output)")
        }

        /// A TaskManager host running tasks of the job (it has a slot in use).
        static func busyTaskManager(_ cluster: MultiHostCluster) throws -> String {
            let busy = try cluster.registeredTaskManagers().first { ($0["freeSlots"] as? Int ?? 0) < ($0["slotsNumber"] as? Int ?? 0) }
            let address = try #require(busy?["host"] as? String, "no TaskManager runs tasks")
            return try #require(["tm1", "tm2", "tm3"].first { cluster.net.address($0) == address })
        }
    }
}
