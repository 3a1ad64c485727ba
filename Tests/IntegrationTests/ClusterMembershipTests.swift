import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    @Suite struct ClusterMembershipTests {
        @Test func twoTaskManagersRegisterWithTheirSlots() async throws {
            try await withLocalCluster("register") { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 3)
                try await cluster.waitForTaskManagers(2)
                let overview = try await cluster.rest.get("/overview").object()
                #expect(overview["slots-total"] as? Int == 5)
                #expect(overview["slots-available"] as? Int == 5)
                let list = try await cluster.rest.get("/taskmanagers").object()
                let entries = try #require(list["taskmanagers"] as? [[String: Any]])
                #expect(entries.count == 2)
                #expect(Set(entries.compactMap { $0["slotsNumber"] as? Int }) == [2, 3])
                for entry in entries {
                    #expect((entry["dataPort"] as? Int ?? 0) > 0)
                    #expect((entry["timeSinceLastHeartbeat"] as? Int ?? 0) > 1_700_000_000_000)
                    #expect(entry["id"] is String && entry["path"] is String && entry["freeSlots"] is Int)
                }
            }
        }

        @Test func killedTaskManagerIsDroppedWithinTheTimeoutAndARestartRejoins() async throws {
            try await withLocalCluster("kill-tm") { cluster in
                try await cluster.startJobManager()
                let victim = try cluster.startTaskManager()
                try cluster.startTaskManager()
                try await cluster.waitForTaskManagers(2)
                try await victim.kill()
                // Heartbeat timeout (5 s default) + 1 s; connection loss usually makes it immediate.
                try await cluster.waitForTaskManagers(1, timeout: .seconds(6))
                try cluster.startTaskManager()
                try await cluster.waitForTaskManagers(2)
                #expect(try await cluster.rest.metric("sluice_jobmanager_membership_events_total{event=\"lost\"}") == 1)
                #expect(try await cluster.rest.metric("sluice_jobmanager_membership_events_total{event=\"joined\"}") == 3)
            }
        }

        @Test func frozenTaskManagerIsLostOnHeartbeatTimeoutAndRejoinsWhenThawed() async throws {
            let settings = ["SLUICE_HEARTBEAT_INTERVAL_MS": "300", "SLUICE_HEARTBEAT_TIMEOUT_MS": "1500"]
            try await withLocalCluster("freeze-tm", settings: settings) { cluster in
                try await cluster.startJobManager()
                let frozen = try cluster.startTaskManager()
                try cluster.startTaskManager()
                try await cluster.waitForTaskManagers(2)
                // SIGSTOP keeps the socket open: only the heartbeat timeout can notice.
                frozen.signal(SIGSTOP)
                let stoppedAt = ContinuousClock.now
                try await cluster.waitForTaskManagers(1, timeout: .milliseconds(2_500))
                #expect(ContinuousClock.now - stoppedAt >= .milliseconds(1_400), "declared lost before the timeout")
                frozen.signal(SIGCONT)
                try await cluster.waitForTaskManagers(2, timeout: .seconds(10))
                #expect(try await cluster.rest.metric("sluice_jobmanager_membership_events_total{event=\"rejoined\"}") == 1)
            }
        }

        @Test func restartedJobManagerGetsItsTaskManagersBackWithinTenSeconds() async throws {
            try await withLocalCluster("kill-jm") { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager()
                try cluster.startTaskManager()
                try await cluster.waitForTaskManagers(2)
                try await cluster.jobManager?.kill()
                let restartedAt = ContinuousClock.now
                try await cluster.startJobManager()
                try await cluster.waitForTaskManagers(2, timeout: .seconds(10) - (ContinuousClock.now - restartedAt))
                #expect(cluster.taskManagers.allSatisfy { $0.isRunning }, "TaskManagers must survive a JobManager crash")
            }
        }
    }
}

extension IntegrationSuite.ClusterMembershipTests {
    /// A TaskManager advertising a data address nobody can reach (here TEST-NET-1, which is
    /// never routed) is reported with that address in `/taskmanagers` and in the JobManager's
    /// log at registration, instead of surfacing only as data channels timing out later.
    @Test func anUnreachableAdvertisedDataAddressIsReported() async throws {
        try await withLocalCluster("unreachable-data-port") { cluster in
            try await cluster.startJobManager()
            try cluster.startTaskManager(slots: 1, environment: ["SLUICE_TASKMANAGER_HOST": "192.0.2.1"])
            try cluster.startTaskManager(slots: 1)
            try await cluster.waitForTaskManagers(2)
            let entries = try await waitFor("the data-port check of both TaskManagers", timeout: .seconds(15)) { () -> [[String: Any]]? in
                let list = try await cluster.rest.get("/taskmanagers").object()["taskmanagers"] as? [[String: Any]] ?? []
                return list.contains { $0["dataPortReachable"] as? Bool == false } ? list : nil
            }
            let bad = try #require(entries.first { $0["host"] as? String == "192.0.2.1" })
            #expect(bad["dataPortReachable"] as? Bool == false && (bad["dataPortProblem"] as? String)?.isEmpty == false, "\(bad)")
            let good = try #require(entries.first { $0["host"] as? String != "192.0.2.1" })
            #expect(good["dataPortReachable"] as? Bool == true && good["dataPortProblem"] == nil, "\(good)")
            let log = try #require(cluster.jobManager).output()
            #expect(log.contains("data port is not reachable") && log.contains("192.0.2.1:"), "\(log.suffix(2_000))")
        }
    }
}
