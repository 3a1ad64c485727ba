import SluiceTestSupport
import Testing

extension IntegrationSuite.ChaosTests {
    /// The JobManager is SIGKILLed mid-run after a completed checkpoint and started again on the
    /// same ports and directories: it must take the job (same id) back from its HA directory,
    /// run it as a higher attempt from the latest checkpoint, finish it, and the sink must
    /// match the oracle.
    @Test func restartedJobManagerTakesTheJobBackFromTheLatestCheckpoint() async throws {
        try await Self.chaosRun("chaos-jm", events: 150_000, seed: 29) { pipeline, cluster, timeline, generator in
            let jobID = try await Self.runJobToFirstCheckpoint(pipeline, on: cluster, taskManagers: 2, clicksPerSecond: 3_000, timeline: &timeline)
            let checkpoint = try #require(try await cluster.rest.latestCompletedCheckpoint(jobID))
            let pause = try await Self.pauseAtRandom(jobID, on: cluster, using: &generator)
            let before = try await cluster.rest.jobProgress(jobID)
            try await #require(cluster.jobManager).kill()
            timeline.note("SIGKILLed the JobManager after a \(ChaosTimeline.seconds(pause)) s pause")
            let killedAt = timeline.now
            try await cluster.startJobManager()
            timeline.note("JobManager answers again \(ChaosTimeline.seconds(timeline.now - killedAt)) s after the kill")
            let recovered = try await cluster.rest.waitForAllTasksRunning(jobID, "after the JobManager restart") { $0.attempt > before.attempt }
            timeline.note("attempt \(recovered.attempt) running \(ChaosTimeline.seconds(timeline.now - killedAt)) s after the kill, "
                + "restored from checkpoint \(recovered.restoredCheckpoint.map(String.init) ?? "none")")
            let restored = try #require(recovered.restoredCheckpoint, "the recovered job starts from a checkpoint\n\(timeline)")
            try #require(restored >= checkpoint, "it restored checkpoint \(restored), older than \(checkpoint), completed before the pause")
            let after = try await cluster.rest.waitForCheckpoint(jobID, after: restored)
            timeline.note("checkpoint \(after) completed by the recovered job")
            let finished = try await cluster.rest.waitForJobToFinish(jobID, timeout: .seconds(240))
            timeline.note("job FINISHED in attempt \(finished.attempt)")
            try pipeline.requireSinkMatchesOracle("\(timeline)")
        }
    }
}
