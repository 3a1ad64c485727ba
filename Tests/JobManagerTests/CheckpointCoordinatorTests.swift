import Foundation
import SluiceEngine
import SluiceJobManager
import SluiceProtocol
import Testing

@Suite struct CheckpointCoordinatorTests {
    private let src0 = TaskKey(vertex: "src", subtask: 0)
    private let src1 = TaskKey(vertex: "src", subtask: 1)
    private let sink0 = TaskKey(vertex: "sink", subtask: 0)
    private let sink1 = TaskKey(vertex: "sink", subtask: 1)

    @Test func triggerGoesOnceToEachTaskManagerHostingASource() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start(attempt: 4)
        let id = try #require(await harness.triggerNext())
        let triggers = harness.messenger.triggers()
        #expect(triggers.map(\.taskManager).sorted() == ["tm-a", "tm-b"])
        #expect(triggers.allSatisfy { $0.message.jobID == "job-1" && $0.message.attempt == 4 && $0.message.checkpointID == id })
        #expect(triggers.allSatisfy { !$0.message.isFinal && $0.message.timestampMs == UInt64(harness.clock.nowMillis()) })
    }

    @Test func noTriggerBeforeTheIntervalOrWhileTheJobCannotTrigger() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        harness.clock.advance(byMillis: 999)
        await harness.coordinator.tick()
        #expect(harness.messenger.triggers().isEmpty, "one interval has not passed yet")
        harness.canTrigger.withLock { $0 = false }
        harness.clock.advance(byMillis: 5_000)
        await harness.coordinator.tick()
        #expect(harness.messenger.triggers().isEmpty, "tasks are not all running")
        harness.canTrigger.withLock { $0 = true }
        await harness.coordinator.tick()
        #expect(harness.messenger.lastTriggeredID == 1)
    }

    @Test func completesOnlyOnceEveryTaskAcknowledged() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        let id = try #require(await harness.triggerNext())
        for task in [src0, src1, sink0] {
            await harness.acknowledge(task, checkpoint: id, handles: [CheckpointHarness.handle(task, checkpoint: id)])
        }
        #expect(harness.coordinator.latestCompleted == nil)
        #expect(harness.messenger.completions().isEmpty)
        #expect(!harness.exists("chk-\(id)/_metadata"))
        #expect(harness.coordinator.stats().history.first?.numAcknowledgedSubtasks == 3)

        await harness.acknowledge(sink1, checkpoint: id, handles: [CheckpointHarness.handle(sink1, checkpoint: id)])
        let completed = try #require(harness.coordinator.latestCompleted)
        #expect(completed.id == id)
        #expect(completed.externalPath == harness.storage.checkpointDirectory(id))
        #expect(harness.reported.withLock { $0.map(\.0) } == [id])
        #expect(harness.messenger.completions().map(\.taskManager).sorted() == ["tm-a", "tm-b", "tm-c"])
        #expect(harness.messenger.completions().allSatisfy { $0.message.checkpointID == id && $0.message.attempt == 1 })
    }

    @Test func metadataIsValidJSONWrittenWithoutLeavingATemporaryFile() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        let id = try #require(await harness.triggerNext())
        await harness.acknowledgeAll(id) { [CheckpointHarness.handle($0, checkpoint: id, size: 10, shared: ["\($0.vertex)-\($0.subtask)-1"])] }

        let directory = harness.storage.checkpointDirectory(id)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["_metadata"])
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/_metadata"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["format_version"] as? Int == 1)
        #expect(json["checkpoint_id"] as? Int == Int(id))
        #expect(json["job_spec_yaml"] as? String == "name: test job\n")
        let tasks = try #require(json["tasks"] as? [[String: Any]])
        #expect(tasks.map { "\($0["vertex"] ?? "")[\($0["subtask"] ?? "")]" } == ["sink[0]", "sink[1]", "src[0]", "src[1]"])
        #expect(tasks.allSatisfy { $0["parallelism"] as? Int == 2 })

        let loaded = try CheckpointStorage.load(path: directory)
        #expect(loaded == harness.coordinator.latestCompleted?.metadata)
        #expect(loaded.stateSize == 40)
        #expect(loaded.handles(forVertex: "src").map(\.subtaskIndex) == [0, 1])
        #expect(loaded.handles(forVertex: "src").map(\.sharedFiles) == [["src-0-1.sst=shared/src-0-1"], ["src-1-1.sst=shared/src-1-1"]])
    }

    @Test func acknowledgementOfAnOlderAttemptIsIgnored() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start(attempt: 1)
        await harness.coordinator.stop(reason: "task failed").value
        harness.start(attempt: 2)
        let id = try #require(await harness.triggerNext())
        await harness.acknowledgeAll(id, attempt: 1)
        #expect(harness.coordinator.latestCompleted == nil, "acks of the zombie attempt 1 must not complete attempt 2's checkpoint")
        #expect(harness.coordinator.stats().history.first?.numAcknowledgedSubtasks == 0)
        await harness.acknowledgeAll(id, attempt: 2)
        #expect(harness.coordinator.latestCompleted?.id == id)
    }

    @Test func declineAbortsTheCheckpointAndDeletesItsDirectory() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start()
        let id = try #require(await harness.triggerNext())
        try harness.writeFile("chk-\(id)/src-0/src/MANIFEST-000001")
        try harness.writeFile("shared/src-0-7")
        await harness.acknowledge(src0, checkpoint: id, handles: [CheckpointHarness.handle(src0, checkpoint: id, shared: ["src-0-7"])])
        await harness.decline(sink1, checkpoint: id, reason: "RocksDB checkpoint failed")

        #expect(!harness.exists("chk-\(id)"))
        #expect(harness.exists("shared/src-0-7"), "aborts never delete shared files")
        let aborts = harness.messenger.aborts()
        #expect(aborts.map(\.taskManager).sorted() == ["tm-a", "tm-b", "tm-c"])
        #expect(aborts.allSatisfy { $0.message.checkpointID == id && $0.message.reason.contains("RocksDB checkpoint failed") })
        let stats = harness.coordinator.stats()
        #expect(stats.counts.failed == 1 && stats.counts.inProgress == 0 && stats.counts.completed == 0)
        #expect(stats.latestFailed?.failureMessage?.contains("sink[1] declined") == true)

        await harness.acknowledgeAll(id)
        #expect(harness.coordinator.latestCompleted == nil, "acks of an aborted checkpoint are ignored")
    }

    @Test func checkpointNotAcknowledgedWithinTheTimeoutIsAborted() async throws {
        let harness = try CheckpointHarness(settings: CheckpointSettings(intervalMillis: 1_000, timeoutMillis: 5_000, minPauseMillis: 60_000))
        defer { harness.directory.remove() }
        harness.start()
        let id = try #require(await harness.triggerNext())
        await harness.acknowledge(src0, checkpoint: id)
        harness.clock.advance(byMillis: 4_999)
        await harness.coordinator.tick()
        #expect(harness.messenger.aborts().isEmpty)
        harness.clock.advance(byMillis: 1)
        await harness.coordinator.tick()
        #expect(harness.messenger.aborts().map(\.message.checkpointID) == [id, id, id])
        let failed = try #require(harness.coordinator.stats().latestFailed)
        #expect(failed.id == id && failed.failureMessage?.contains("1 of 4 tasks acknowledged") == true)
        #expect(harness.coordinator.stats().counts.failed == 1)
    }

    @Test func moreFailedCheckpointsInARowThanTolerableFailTheJobOverAndACompletionResetsTheCount() async throws {
        let harness = try CheckpointHarness(settings: CheckpointSettings(intervalMillis: 1_000, timeoutMillis: 5_000, tolerableFailures: 1))
        defer { harness.directory.remove() }
        harness.start()
        let expire = { () async in
            harness.clock.advance(byMillis: 5_000)
            await harness.coordinator.tick()  // expires the pending one; the same tick triggers the next
        }
        let first = try #require(await harness.triggerNext())
        await expire()
        #expect(harness.tooManyFailures.withLock { $0 }.isEmpty, "one failure is tolerated")
        let second = try #require(harness.messenger.lastTriggeredID)
        #expect(second > first)
        await harness.acknowledgeAll(second)
        #expect(harness.coordinator.latestCompleted?.id == second)
        _ = try #require(await harness.triggerNext())
        await expire()
        #expect(harness.tooManyFailures.withLock { $0 }.isEmpty, "the completion reset the count")
        await expire()
        let causes = harness.tooManyFailures.withLock { $0 }
        #expect(causes.count == 1 && causes[0].contains("2 checkpoints failed in a row, more than checkpoints.tolerable-failures (1)")
                && causes[0].contains("expired after 5000 ms"), "\(causes)")
        #expect(causes.first?.contains("raise checkpoints.timeout-ms in the job spec") == true, "the advice names the real key")
    }

    @Test func noNewTriggerWhileOneIsPendingAndTheMinimumPauseIsRespected() async throws {
        let harness = try CheckpointHarness(settings: CheckpointSettings(intervalMillis: 1_000, timeoutMillis: 60_000, minPauseMillis: 3_000))
        defer { harness.directory.remove() }
        harness.start()
        let first = try #require(await harness.triggerNext())
        for _ in 0..<5 { await harness.triggerNext() }
        #expect(harness.messenger.triggers().map(\.message.checkpointID).allSatisfy { $0 == first }, "max concurrent is 1")

        await harness.acknowledgeAll(first)
        harness.clock.advance(byMillis: 2_999)
        await harness.coordinator.tick()
        #expect(harness.messenger.lastTriggeredID == first, "the pause since the completion has not passed")
        harness.clock.advance(byMillis: 1)
        await harness.coordinator.tick()
        #expect(harness.messenger.lastTriggeredID == first + 1)
    }

    @Test func checkpointIDsContinueAcrossAttemptsAndAfterARestore() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.start(attempt: 1)
        let first = try #require(await harness.triggerNext())
        harness.coordinator.stop(reason: "failover")
        harness.start(attempt: 2)
        #expect(await harness.triggerNext() == first + 1)

        let other = try CheckpointHarness()
        defer { other.directory.remove() }
        let metadata = CheckpointMetadata(job: CheckpointHarness.job, attempt: 1, checkpointID: 41, triggerTimestamp: 0,
                                          completionTimestamp: 0, isFinal: false, tasks: [])
        other.start(attempt: 1, restoredFrom: CompletedCheckpoint(metadata: metadata, externalPath: "/elsewhere/chk-41"))
        #expect(await other.triggerNext() == 42)
        #expect(other.coordinator.stats().counts.restored == 1)
        #expect(other.coordinator.stats().latestRestored?.id == 41)
    }

    @Test func triggerThatCannotBeDeliveredAbortsTheCheckpoint() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        harness.messenger.unreachable.withLock { $0 = ["tm-b"] }
        harness.start()
        let id = try #require(await harness.triggerNext())
        #expect(harness.coordinator.stats().latestFailed?.id == id)
        #expect(harness.coordinator.stats().latestFailed?.failureMessage?.contains("tm-b") == true)
    }

    @Test func completionsAndFailuresAreCountedPerJob() async throws {
        let metrics = JobManagerMetrics()
        let harness = try CheckpointHarness(metrics: metrics.checkpoints(job: "job-1"))
        defer { harness.directory.remove() }
        harness.start()
        let first = try #require(await harness.triggerNext())
        await harness.acknowledgeAll(first, handles: { [CheckpointHarness.handle($0, checkpoint: first, size: 25)] })
        let second = try #require(await harness.triggerNext())
        await harness.decline(src0, checkpoint: second, reason: "no")
        let text = metrics.render()
        #expect(text.contains(#"sluice_checkpoints_completed_total{job="job-1"} 1"#))
        #expect(text.contains(#"sluice_checkpoints_failed_total{job="job-1"} 1"#))
        #expect(text.contains(#"sluice_checkpoint_last_size_bytes{job="job-1"} 100"#))
    }
}
