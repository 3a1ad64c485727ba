import SluiceTestSupport
import Testing

extension IntegrationSuite.ChaosTests {
    /// Half a million events, parallelism 2 on three TaskManagers; five times a TaskManager that
    /// runs tasks of the job is SIGKILLed (each after the job recovered and completed a new
    /// checkpoint, at a random moment) and a replacement started. The job must fail over once
    /// per kill, finish, and leave the sink exactly as the SQL oracle computes it.
    @Test func killedTaskManagersCostOneRestartEachAndNoCheckoutIsLostOrDuplicated() async throws {
        let kills = 5
        try await Self.chaosRun("chaos-tm", events: 500_000, seed: 23, clickPartitions: 16, checkoutPartitions: 8) { pipeline, cluster, timeline, generator in
            let jobID = try await Self.killTaskManagers(kills, cluster: cluster, pipeline: pipeline, timeline: &timeline, generator: &generator)
            let finished = try await cluster.rest.waitForJobToFinish(jobID, timeout: .seconds(300))
            timeline.note("job FINISHED: attempt \(finished.attempt), \(finished.numRestarts) restarts")
            try pipeline.requireSinkMatchesOracle("\(timeline)")
            timeline.note("verified")
            try #require(finished.numRestarts == kills, "one failover per kill\n\(timeline)")
            try #require(finished.attempt == kills + 1, "\(timeline)")
            let restarts = try await cluster.rest.metric("sluice_job_restarts_total{job=\"\(jobID)\"}")
            try #require(restarts == Double(kills), "sluice_job_restarts_total says \(String(describing: restarts))")
        }
    }

    /// Submits the job and kills `kills` TaskManagers hosting it, each followed by a replacement;
    /// returns the job id once its last attempt runs and has completed a checkpoint.
    private static func killTaskManagers(_ kills: Int, cluster: LocalCluster, pipeline: ChaosPipeline,
                                         timeline: inout ChaosTimeline, generator: inout SplitMix64) async throws -> String {
        try await startCluster(cluster, taskManagers: 3)
        let jobID = try await cluster.rest.submit(pipeline.spec(parallelism: 2, clicksPerSecond: 5_000), query: "parallelism=2")
        timeline.note("submitted job \(jobID): \(pipeline.input.clicks) clicks, \(pipeline.input.checkouts) checkouts, "
            + "\(pipeline.input.malformed) malformed")
        var killedAt: ContinuousClock.Instant?
        for attempt in 1...kills + 1 {
            try await cluster.rest.waitForAllTasksRunning(jobID, "in attempt \(attempt)") { $0.attempt == attempt }
            if let killedAt { timeline.note("attempt \(attempt) running \(ChaosTimeline.seconds(timeline.now - killedAt)) s after the kill") }
            let before = try await cluster.rest.latestCompletedCheckpoint(jobID)
            let checkpoint = try await cluster.rest.waitForCheckpoint(jobID, after: before)
            timeline.note("checkpoint \(checkpoint) completed in attempt \(attempt)")
            if attempt > kills { break }
            let pause = try await pauseAtRandom(jobID, on: cluster, using: &generator)
            let victim = try await taskManagerRunningTheJob(jobID, in: cluster, using: &generator)
            try await victim.process.kill()
            killedAt = timeline.now
            timeline.note("kill \(attempt): SIGKILLed TaskManager \(victim.id) (pid \(victim.process.pid)) after a \(ChaosTimeline.seconds(pause)) s pause")
            try cluster.startTaskManager(slots: 2)
        }
        return jobID
    }

    /// A TaskManager hosting tasks of the job (by its heartbeat's slot use), chosen at random,
    /// once the heartbeats show exactly the job's slots in use (so no leftover of an older attempt
    /// makes an idle TaskManager look busy).
    private static func taskManagerRunningTheJob(_ jobID: String, in cluster: LocalCluster,
                                                 using generator: inout SplitMix64) async throws -> (id: String, process: ManagedProcess) {
        let slotsOfTheJob = try await cluster.rest.jobProgress(jobID).parallelism.values.max() ?? 0
        let hosts = try await waitFor("heartbeats to show the \(slotsOfTheJob) slots of job \(jobID) in use") {
            try await cluster.rest.jobProgress(jobID).ensureCanReach("a TaskManager to kill")
            let busy = try await cluster.rest.taskManagers().filter { $0.usedSlots > 0 }
            return busy.reduce(0) { $0 + $1.usedSlots } == slotsOfTheJob ? busy : nil
        }
        let victim = hosts[Int.random(in: 0..<hosts.count, using: &generator)]
        guard let process = cluster.taskManager(pid: victim.pid) else {
            throw TestSupportError.commandFailed(command: "find TaskManager pid \(victim.pid)", status: 0,
                                                 output: "GET /taskmanagers lists a process this test did not start: \(hosts)")
        }
        return (victim.id, process)
    }
}
