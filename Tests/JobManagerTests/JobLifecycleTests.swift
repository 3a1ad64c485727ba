import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceEngine
@testable import SluiceJobManager
import SluiceLibrary
import SluiceProtocol
import Testing

/// The job's lifecycle decisions without sockets: deploy, task reports, failover and its back-off,
/// the restart strategy giving up, cancel, stop, and fencing of older attempts.
@Suite struct JobLifecycleTests {
    /// A two-chain job: `src` (parallelism 2) into a keyed `win` → `out` chain (parallelism 2).
    private func lifecycle(maxAttempts: Int = 0, parallelism: Int = 2) throws -> JobLifecycle {
        let spec = try JobSpecParser.parse(yaml: """
            name: life
            parallelism: \(parallelism)
            restart: {initial-backoff-ms: 100, max-backoff-ms: 1000, multiplier: 2, max-attempts: \(maxAttempts)}
            sources: [{id: src, kind: file-source, params: {path: /x, schema: "k string, at timestamp", event-time: at}}]
            operators: [{id: win, kind: tumbling-window, inputs: [src], key-by: [k], params: {size-ms: 1000, aggregates: "n=count(*)"}}]
            sinks: [{id: out, kind: blackhole-sink, inputs: [win]}]
            """, catalog: BuiltInKinds.catalog)
        return JobLifecycle(graph: JobGraph(spec: spec), restart: spec.restart, attempt: 1, restore: nil, now: 0)
    }

    private func deployAll(_ job: inout JobLifecycle, now: Int64 = 10) -> [TaskKey] {
        let keys = job.executions.keys.sorted()
        let deployed = job.deploying(attempt: job.attempt, on: keys.map { ($0, "tm-\($0.subtask)") }, now: now)
        #expect(deployed)
        return keys
    }

    private func report(_ job: inout JobLifecycle, _ keys: [TaskKey], _ state: _ProtoExecutionState, attempt: UInt32? = nil,
                        now: Int64 = 20) -> [JobLifecycle.Action] {
        keys.flatMap { job.taskStateChanged($0, attempt: attempt ?? job.attempt, to: state, cause: "boom", at: now, now: now) }
    }

    /// Deploys attempt 1, fails one task, cancels the rest and deploys attempt 2; returns its tasks.
    private func failOverOnce(_ job: inout JobLifecycle) -> [TaskKey] {
        let first = deployAll(&job)
        _ = report(&job, [first[0]], .failed)
        _ = job.tasksToCancel { _ in false }
        let due = job.restartDue(attempt: 1, latest: nil)
        #expect(due)
        return deployAll(&job)
    }

    @Test func deployedTasksRunAndAllFinishingFinishesTheJob() throws {
        var job = try lifecycle()
        let keys = deployAll(&job)
        #expect(job.status == .running && !job.allTasksRunning)
        let running = report(&job, keys, .running)
        #expect(running.isEmpty)
        #expect(job.allTasksRunning)
        let actions = report(&job, keys, .finished)
        #expect(actions == [.ended(.finished)] && job.status == .finished)
    }

    /// A neighbour's report that its channel closed can reach the JobManager before the report of
    /// the task that failed first; the job still names the root failure.
    @Test func theRootFailureReplacesAFollowOnReportedFirst() throws {
        var job = try lifecycle()
        let keys = deployAll(&job)
        _ = report(&job, keys, .running)
        let followOn = job.taskStateChanged(keys[0], attempt: 1, to: .failed, cause: "the data channel is closed", followOn: true,
                                            at: 30, now: 30)
        #expect(followOn.count == 1 && job.status == .restarting)
        #expect(job.failureCause == "\(keys[0]) failed: the data channel is closed")
        let root = job.taskStateChanged(keys[1], attempt: 1, to: .failed, cause: "40P01 deadlock detected", at: 31, now: 31)
        #expect(root.isEmpty, "the job is already failing over; no second restart")
        #expect(job.failureCause == "\(keys[1]) failed: 40P01 deadlock detected")
        // A later follow-on does not displace the root.
        _ = job.taskStateChanged(keys[2], attempt: 1, to: .failed, cause: "input channel failed", followOn: true, at: 32, now: 32)
        #expect(job.failureCause == "\(keys[1]) failed: 40P01 deadlock detected")
        #expect(job.exceptions.first { !$0.followOn }?.cause == "40P01 deadlock detected")
    }

    /// A task that ends between two heartbeats reports its last counts with its end.
    @Test func theCountersATaskEndedWithAreKept() throws {
        var job = try lifecycle()
        let keys = deployAll(&job)
        _ = report(&job, keys, .running)
        var counters = _ProtoTaskStatus()
        counters.recordsIn = 4_000
        counters.operatorCounters = ["out/rows": 17]
        _ = job.taskStateChanged(keys[0], attempt: 1, to: .finished, cause: "", finalCounters: counters, at: 30, now: 30)
        #expect(job.executions[keys[0]]?.recordsIn == 4_000 && job.executions[keys[0]]?.operatorCounters == ["out/rows": 17])
        #expect(job.executions[keys[0]]?.state == .finished)
    }

    @Test func aFailedTaskRestartsTheJobAsTheNextAttemptAfterTheBackOff() throws {
        var job = try lifecycle()
        let keys = deployAll(&job)
        _ = report(&job, keys, .running)
        let actions = report(&job, [keys[0]], .failed)
        #expect(actions == [.restart(after: .milliseconds(100), cause: "\(keys[0]) failed: boom", task: keys[0], attempt: 1)])
        #expect(job.status == .restarting && job.exceptions.count == 1)
        let second = report(&job, [keys[1]], .failed)
        #expect(second.isEmpty, "a second failure of the same attempt decides nothing new")
        #expect(!job.tasksEnded(attempt: 1))
        _ = job.tasksToCancel { _ in false }
        #expect(job.tasksEnded(attempt: 1))
        let due = job.restartDue(attempt: 1, latest: nil)
        #expect(due)
        #expect(job.attempt == 2 && job.executions.values.allSatisfy { $0.state == .created })
        let again = job.restartDue(attempt: 1, latest: nil)
        #expect(!again, "a restart is due once")
        _ = deployAll(&job)
        #expect(job.status == .running && job.restarts.total == 1)
    }

    @Test func reportsOfAnOlderAttemptAreIgnored() throws {
        var job = try lifecycle()
        let keys = failOverOnce(&job)
        let stale = report(&job, keys, .failed, attempt: 1)
        #expect(stale.isEmpty)
        #expect(job.status == .running && job.executions.values.allSatisfy { $0.state == .scheduled })
        var heartbeat = _ProtoTaskStatus()
        heartbeat.task.attempt = 1
        heartbeat.task.vertexID = keys[0].vertex
        heartbeat.task.subtaskIndex = UInt32(keys[0].subtask)
        heartbeat.state = .running
        let leftover = job.heartbeat(heartbeat, now: 30)
        #expect(leftover == (current: false, missedChange: false), "a leftover: the caller cancels it")
        heartbeat.task.attempt = 2
        let current = job.heartbeat(heartbeat, now: 30)
        #expect(current == (current: true, missedChange: true), "running, though no report said so")
    }

    @Test func theRestartStrategyGivingUpFailsTheJobOnceItsTasksEnded() throws {
        var job = try lifecycle(maxAttempts: 1)
        let keys = failOverOnce(&job)
        let actions = report(&job, [keys[0]], .failed)
        #expect(actions == [.fail(cause: "\(keys[0]) failed: boom", task: keys[0], attempt: 2)] && job.status == .failing)
        let ended = report(&job, Array(keys.dropFirst()), .canceled)
        #expect(ended == [.ended(.failed)])
        #expect(job.status == .failed && job.failureCause == "\(keys[0]) failed: boom")
    }

    @Test func aSingleTaskJobRestartsToo() throws {
        var job = try lifecycle(parallelism: 1)
        let keys = deployAll(&job)
        #expect(keys.count == 2)
        _ = report(&job, [keys[1]], .finished)
        let actions = report(&job, [keys[0]], .failed)
        #expect(actions.count == 1 && job.status == .restarting, "the last live task failing is a failover, not the end: \(actions)")
    }

    @Test func checkpointsFailingTooOftenFailTheJobOverWithTheCauseRecorded() throws {
        var job = try lifecycle()
        let keys = deployAll(&job)
        _ = report(&job, keys, .running)
        let actions = job.checkpointsFailed("4 checkpoints failed in a row", now: 50)
        #expect(actions == [.restart(after: .milliseconds(100), cause: "4 checkpoints failed in a row", task: nil, attempt: 1)])
        #expect(job.status == .restarting && job.exceptions.first?.task == nil && job.exceptions.first?.source == "(checkpoint coordinator)")
        let again = job.checkpointsFailed("again", now: 60)
        #expect(again.isEmpty, "only a running job fails over")
    }

    @Test func cancellingEndsCanceledOnceEveryTaskStopped() throws {
        var job = try lifecycle()
        let keys = deployAll(&job)
        let cancelled = job.cancel(now: 40)
        #expect(cancelled && job.status == .cancelling)
        let reachable = job.tasksToCancel { $0 == "tm-0" }
        #expect(reachable.map(\.1).allSatisfy { $0 == "tm-0" } && reachable.count == 2, "tm-1's tasks are cancelled at once")
        let ended = report(&job, reachable.map(\.0), .canceled)
        #expect(ended == [.ended(.canceled)])
        let cancelledAgain = job.cancel(now: 50)
        #expect(!cancelledAgain, "a terminal job stays as it is")
        #expect(keys.allSatisfy { job.executions[$0]?.state == .canceled })
    }

    @Test func stoppingAfterTheFinalCheckpointFinishes() throws {
        var job = try lifecycle()
        let keys = deployAll(&job)
        _ = report(&job, keys, .running)
        let stopping = job.stopAfterFinalCheckpoint()
        #expect(stopping && !job.allTasksRunning)
        let ended = report(&job, keys, .canceled)
        #expect(ended == [.ended(.finished)])
    }

    @Test func noSlotsFailsTheJobAtOnce() throws {
        var job = try lifecycle()
        let failed = job.fail("not enough task slots", now: 5)
        #expect(failed && job.status == .failed)
        #expect(job.executions.values.allSatisfy { $0.state == .canceled })
        let deployed = job.deploying(attempt: 1, on: [], now: 6)
        #expect(!deployed)
    }
}
