import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Failure injection (DESIGN.md §5–§6) with real processes: TaskManagers and the JobManager
    /// SIGKILLed mid-run, PostgreSQL restarted under the job, jobs stopped with a checkpoint and
    /// resumed at another parallelism. Every run is judged by `sluice verify` — the sink must hold
    /// every checkout exactly once, as an SQL recomputation says — never by the engine's own
    /// counters alone. Random moments come from a seeded generator, so a failing run can be
    /// replayed with the same choices.
    @Suite struct ChaosTests {
        /// Produces `events` records with `seed` (see `ChaosPipeline`), runs `body` with the pipeline,
        /// a cluster named `name`, a timeline (attached to the test as `name`) and a generator
        /// seeded with `seed` for the random moments; stops everything afterwards, and removes the
        /// cluster's checkpoints only when `body` returned.
        static func chaosRun(_ name: String, events: Int, seed: UInt64, clickPartitions: Int = 8, checkoutPartitions: Int = 8,
                             _ body: (ChaosPipeline, LocalCluster, inout ChaosTimeline, inout SplitMix64) async throws -> Void) async throws {
            let pipeline = try ChaosPipeline(events: events, seed: seed, clickPartitions: clickPartitions, checkoutPartitions: checkoutPartitions)
            defer { pipeline.stop() }
            var generator = SplitMix64(seed: seed)
            var timeline = ChaosTimeline()
            defer { timeline.attach(named: name) }
            try await withLocalCluster(name, settings: pipeline.clusterSettings, removeFilesOnSuccess: true) { cluster in
                try await body(pipeline, cluster, &timeline, &generator)
            }
        }

        /// A JobManager and `taskManagers` TaskManagers with 2 slots each, all registered.
        static func startCluster(_ cluster: LocalCluster, taskManagers: Int) async throws {
            try await cluster.startJobManager()
            for _ in 0..<taskManagers { try cluster.startTaskManager(slots: 2) }
            try await cluster.waitForTaskManagers(taskManagers)
        }

        /// Starts the cluster, submits the job at parallelism 2 and waits until all its tasks run
        /// and it completed its first checkpoint; returns the job id.
        static func runJobToFirstCheckpoint(_ pipeline: ChaosPipeline, on cluster: LocalCluster, taskManagers: Int, clicksPerSecond: Int,
                                            timeline: inout ChaosTimeline) async throws -> String {
            try await startCluster(cluster, taskManagers: taskManagers)
            let jobID = try await cluster.rest.submit(pipeline.spec(parallelism: 2, clicksPerSecond: clicksPerSecond), query: "parallelism=2")
            let running = try await cluster.rest.waitForAllTasksRunning(jobID)
            let checkpoint = try await cluster.rest.waitForCheckpoint(jobID, after: nil)
            timeline.note("job \(jobID) running in attempt \(running.attempt), checkpoint \(checkpoint) completed")
            return jobID
        }

        /// Lets the job run on for a random 0.5–3 s, so failures hit it at varying points (mid
        /// checkpoint, mid alignment, between commits); returns the pause taken. Throws when the
        /// job is no longer running afterwards (the run was too short for the test).
        static func pauseAtRandom(_ jobID: String, on cluster: LocalCluster, using generator: inout SplitMix64) async throws -> Duration {
            let pause = Duration.milliseconds(Int.random(in: 500...3_000, using: &generator))
            try await Task.sleep(for: pause)  // the chaos itself, not a wait for a condition
            try await cluster.rest.jobProgress(jobID).ensureCanReach("the next failure to inject")
            return pause
        }
    }
}
