import Foundation
import SluiceTestSupport
import Testing

extension IntegrationSuite.ChaosTests {
    /// Stop-with-checkpoint and resume at another parallelism, twice: 2 → 3 over REST, then
    /// 3 → 1 with the CLI (`sluice stop`, `sluice submit --from-checkpoint`, with a spec that
    /// lifts the throttle so the last leg is quick). Keyed state, Kafka offsets and bounded end
    /// offsets are redistributed each time; the finished run must match the oracle.
    @Test func stoppingAndResumingAtParallelismThreeThenOneKeepsEveryCheckoutExactlyOnce() async throws {
        try await Self.chaosRun("chaos-rescale", events: 100_000, seed: 37) { pipeline, cluster, timeline, _ in
            try await Self.startCluster(cluster, taskManagers: 3)
            let first = try await cluster.rest.submit(pipeline.spec(parallelism: 2, clicksPerSecond: 1_000), query: "parallelism=2")
            let lineage = try await Self.requireRunning(first, parallelism: 2, restoredFrom: nil, cluster: cluster).lineage
            try await Self.waitForTwoCheckpoints(first, cluster: cluster, timeline: &timeline)
            let stop = try await cluster.rest.stopWithCheckpoint(first)
            try await cluster.rest.waitForJobToFinish(first, timeout: .seconds(30))
            timeline.note("stopped \(first) with checkpoint \(stop.checkpoint)")

            let location = try #require(stop.location.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed))
            let second = try await cluster.rest.submit("", query: "fromCheckpoint=\(location)&parallelism=3")
            let resumed = try await Self.requireRunning(second, parallelism: 3, restoredFrom: stop.checkpoint, cluster: cluster)
            try #require(resumed.lineage == lineage, "a resumed job continues its pipeline's lineage")
            try await Self.waitForTwoCheckpoints(second, cluster: cluster, timeline: &timeline)
            let (stopID, stopLocation) = try Self.stopWithCLI(second, pipeline: pipeline, cluster: cluster)
            try await cluster.rest.waitForJobToFinish(second, timeout: .seconds(30))
            timeline.note("stopped \(second) with checkpoint \(stopID) (CLI)")

            let fastSpec = pipeline.work.url.appendingPathComponent("unthrottled.yaml")
            try pipeline.spec(parallelism: 1, clicksPerSecond: 1_000_000).write(to: fastSpec, atomically: true, encoding: .utf8)
            let third = try ShellCommand.run(pipeline.sluice, ["submit", fastSpec.path, "--from-checkpoint", stopLocation, "--parallelism", "1",
                                                               "--rest", cluster.rest.base.absoluteString])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let last = try await Self.requireRunning(third, parallelism: 1, restoredFrom: stopID, cluster: cluster)
            try #require(last.lineage == lineage)
            let finished = try await cluster.rest.waitForJobToFinish(third, timeout: .seconds(240))
            timeline.note("\(third) FINISHED in attempt \(finished.attempt)")
            try pipeline.requireSinkMatchesOracle("\(timeline)")
        }
    }

    /// Waits until every task of `job` runs and requires every vertex at `parallelism`,
    /// restored from checkpoint `restoredFrom`.
    private static func requireRunning(_ job: String, parallelism: Int, restoredFrom: Int?, cluster: LocalCluster) async throws -> JobProgress {
        let running = try await cluster.rest.waitForAllTasksRunning(job, "at parallelism \(parallelism)")
        try #require(running.parallelism.values.allSatisfy { $0 == parallelism }, "\(running.parallelism)")
        try #require(running.restoredCheckpoint == restoredFrom, "job \(job) restored \(String(describing: running.restoredCheckpoint))")
        return running
    }

    /// Waits until `job` completed two checkpoints of its own.
    private static func waitForTwoCheckpoints(_ job: String, cluster: LocalCluster, timeline: inout ChaosTimeline) async throws {
        var checkpoint = try await cluster.rest.latestCompletedCheckpoint(job)
        for _ in 0..<2 { checkpoint = try await cluster.rest.waitForCheckpoint(job, after: checkpoint) }
        timeline.note("\(job) completed checkpoint \(checkpoint ?? 0)")
    }

    /// `sluice stop JOB`; returns the checkpoint id and location it printed.
    private static func stopWithCLI(_ job: String, pipeline: ChaosPipeline, cluster: LocalCluster) throws -> (Int, String) {
        let output = try ShellCommand.run(pipeline.sluice, ["stop", job, "--rest", cluster.rest.base.absoluteString])
        let lines = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let match = output.firstMatch(of: #/with checkpoint (\d+)/#), let checkpoint = Int(match.1),
              let location = lines.last, location.hasPrefix("/") else {
            throw TestSupportError.commandFailed(command: "sluice stop \(job)", status: 0, output: "unexpected output:\n\(output)")
        }
        return (checkpoint, location)
    }
}
