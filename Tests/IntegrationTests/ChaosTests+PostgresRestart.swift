import SluiceTestSupport
import Testing

extension IntegrationSuite.ChaosTests {
    /// PostgreSQL is shut down (fast: sessions cut) while the job writes, kept down until the
    /// job noticed (it failed over, or a task reported the database unavailable and a checkpoint
    /// was triggered during the outage), and started again on the same port with the same data. The job may retry or fail over; it
    /// must finish and the sink must match the oracle.
    @Test func postgresRestartMidRunIsRiddenOutWithoutLosingOrDuplicatingCheckouts() async throws {
        try await Self.chaosRun("chaos-pg", events: 150_000, seed: 31) { pipeline, cluster, timeline, generator in
            let jobID = try await Self.runJobToFirstCheckpoint(pipeline, on: cluster, taskManagers: 2, clicksPerSecond: 3_000, timeline: &timeline)
            let pause = try await Self.pauseAtRandom(jobID, on: cluster, using: &generator)
            let triggeredBefore = try await cluster.rest.checkpointsTriggered(jobID)
            try pipeline.database.shutDown()
            let downAt = timeline.now
            timeline.note("PostgreSQL shut down after a \(ChaosTimeline.seconds(pause)) s pause")
            // Down until the job felt it: it failed over, or a task found the database gone and a
            // checkpoint was triggered during the outage (so the outage spans a checkpoint).
            try await waitUntil("the job to notice that PostgreSQL is down", timeout: .seconds(60)) {
                let progress = try await cluster.rest.jobProgress(jobID)
                try progress.ensureCanReach("the outage to be noticed")
                if progress.numRestarts > 0 { return true }
                guard cluster.taskManagers.contains(where: { $0.output().contains("PostgreSQL unavailable") }) else { return false }
                return try await cluster.rest.checkpointsTriggered(jobID) > triggeredBefore
            }
            let noticed = try await cluster.rest.jobProgress(jobID)
            timeline.note("outage noticed \(ChaosTimeline.seconds(timeline.now - downAt)) s later (job \(noticed.state), "
                + "\(noticed.numRestarts) restarts, \(try await cluster.rest.checkpointsTriggered(jobID) - triggeredBefore) checkpoints triggered meanwhile)")
            try pipeline.database.startAgain()
            timeline.note("PostgreSQL started again")
            let resumed = try await cluster.rest.waitForCheckpoint(jobID, after: try await cluster.rest.latestCompletedCheckpoint(jobID))
            timeline.note("checkpoint \(resumed) completed after the restart")
            let finished = try await cluster.rest.waitForJobToFinish(jobID, timeout: .seconds(240))
            timeline.note("job FINISHED: attempt \(finished.attempt), \(finished.numRestarts) restarts")
            try pipeline.requireSinkMatchesOracle("\(timeline)")
        }
    }
}
