import Foundation
import SluiceEngine
import SluiceJobManager
import SluiceProtocol
import Testing

@Suite struct CheckpointRetentionTests {
    private let src0 = TaskKey(vertex: "src", subtask: 0)

    /// Shared files `src[0]` references in each checkpoint; the other tasks have no shared state.
    private let sharedByCheckpoint: [UInt64: [String]] = [
        1: ["only-in-1", "in-1-and-2", "in-all"],
        2: ["in-1-and-2", "in-all"],
        3: ["in-all"],
        4: ["in-all", "only-in-4"],
        5: ["in-all"],
    ]

    @Test func afterFiveCompletionsOnlyTheLastThreeAndTheirSharedFilesRemain() async throws {
        let harness = try CheckpointHarness()
        defer { harness.directory.remove() }
        try harness.writeFile("shared/orphan-of-an-aborted-checkpoint", modifiedAtMillis: harness.clock.nowMillis() - 3_600_000)

        harness.start()
        var uploaded = Set<String>()
        for expected in UInt64(1)...5 {
            let id = try #require(await harness.triggerNext())
            #expect(id == expected)
            // The TaskManager uploads what is new since its last checkpoint, after the trigger.
            for name in sharedByCheckpoint[id] ?? [] where uploaded.insert(name).inserted {
                try harness.writeFile("shared/\(name)", modifiedAtMillis: harness.clock.nowMillis())
            }
            try harness.writeFile("chk-\(id)/src-0/src/MANIFEST")
            if id == 5 {
                // Uploaded for a checkpoint triggered after 5 (not referenced by anything yet).
                try harness.writeFile("shared/uploading-for-the-next-checkpoint", modifiedAtMillis: harness.clock.nowMillis() + 500)
            }
            await harness.acknowledgeAll(id) { task in
                task == src0 ? [CheckpointHarness.handle(task, checkpoint: id, shared: sharedByCheckpoint[id] ?? [])] : []
            }
        }

        #expect(harness.checkpointDirectories() == ["chk-3", "chk-4", "chk-5"])
        #expect(harness.exists("chk-5/src-0/src/MANIFEST"))
        #expect(!harness.exists("shared/only-in-1"))
        #expect(!harness.exists("shared/in-1-and-2"))
        #expect(!harness.exists("shared/orphan-of-an-aborted-checkpoint"))
        #expect(harness.exists("shared/in-all"))
        #expect(harness.exists("shared/only-in-4"))
        #expect(harness.exists("shared/uploading-for-the-next-checkpoint"), "younger than the newest checkpoint's trigger")
        #expect(harness.reported.withLock { $0.map(\.0) } == [1, 2, 3, 4, 5])
        let history = harness.coordinator.stats().history
        #expect(history.map(\.id) == [5, 4, 3, 2, 1])
        #expect(history.map(\.discarded) == [false, false, false, true, true])
    }

    @Test func sharedFilesOfACheckpointUnknownToTheCoordinatorAreKept() async throws {
        let harness = try CheckpointHarness(settings: CheckpointSettings(intervalMillis: 1_000, timeoutMillis: 10_000, retained: 1))
        defer { harness.directory.remove() }
        let longAgo = harness.clock.nowMillis() - 3_600_000
        try harness.writeFile("shared/from-before-a-restart", modifiedAtMillis: longAgo)
        var handle = CheckpointHarness.handle(src0, checkpoint: 90, shared: ["from-before-a-restart"])
        handle.inlineData = Data([1, 2, 3])
        let earlier = CheckpointMetadata(
            job: CheckpointHarness.job, attempt: 1, checkpointID: 90, triggerTimestamp: longAgo, completionTimestamp: longAgo,
            isFinal: false, tasks: [.init(vertex: "src", subtask: 0, parallelism: 1, stateHandles: [StoredStateHandle(handle)])])
        try harness.storage.writeMetadata(earlier)

        harness.start()
        let id = try #require(await harness.triggerNext())
        #expect(id == 1)
        await harness.acknowledgeAll(id)
        #expect(harness.coordinator.latestCompleted?.id == 1)
        #expect(harness.exists("shared/from-before-a-restart"))
        #expect(harness.checkpointDirectories() == ["chk-1", "chk-90"])
    }
}
