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
