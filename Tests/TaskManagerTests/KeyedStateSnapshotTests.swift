import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceProtocol
import SluiceTaskManager
import SluiceTestSupport
import Testing

@Suite struct KeyedStateSnapshotTests {
    private let all = KeyGroupRange(start: 0, end: 127)
    private let sample = SampleKeyedState(keysPerGroup: 20)

    @Test func restoredStateEqualsTheSnapshottedValuesAndTimers() throws {
        let fixture = try KeyedStateFixture()
        let backend = try fixture.backend("source", keyGroups: all)
        try sample.write(into: backend)
        try backend.removeValue(keyGroup: 7, state: SampleKeyedState.state, key: sample.key(3))
        let result = try fixture.checkpoint(backend, fixture.snapshotter(task: "keyed-0", subtask: 0), id: 1)
        let expected = try KeyedStateFixture.contents(of: backend.database)

        try fixture.restore([result.handle], keyGroups: all, into: "restored")
        let restored = try RocksDBStateBackend(path: fixture.localPath("restored"), keyGroups: all)
        #expect(try KeyedStateFixture.contents(of: restored.database) == expected)
        #expect(try restored.value(keyGroup: 9, state: SampleKeyedState.state, key: sample.key(4)) == sample.value(group: 9, index: 4))
        #expect(try restored.value(keyGroup: 7, state: SampleKeyedState.state, key: sample.key(3)) == nil, "the deletion is kept")
        #expect(try restored.popTimers(upTo: .max).map(\.timestamp) == sample.timers(in: all))
    }

    @Test func handleFollowsTheStorageLayout() throws {
        let fixture = try KeyedStateFixture()
        let backend = try fixture.backend("source", keyGroups: KeyGroupRange(start: 64, end: 127))
        try sample.write(into: backend)
        let pending = try fixture.pending(backend, fixture.snapshotter(task: "keyed-1", subtask: 1), id: 4)
        let result = try pending.upload()
        let handle = result.handle

        #expect(handle.kind == "keyed-rocksdb")
        #expect(handle.operatorID == KeyedStateFixture.operatorID)
        #expect(handle.path == "chk-4/keyed-1/\(KeyedStateFixture.operatorID)")
        #expect(handle.keyGroups.start == 64 && handle.keyGroups.end == 127)
        #expect(handle.subtaskIndex == 1)
        let privateFiles = try FileManager.default.contentsOfDirectory(atPath: fixture.jobRoot + "/" + handle.path)
        #expect(privateFiles.contains("CURRENT") && !privateFiles.contains { $0.hasSuffix(".sst") })
        let sharedFiles = try FileManager.default.contentsOfDirectory(atPath: fixture.jobRoot + "/shared").sorted()
        #expect(!sharedFiles.isEmpty)
        #expect(handle.sharedFiles.map { String($0.split(separator: "=")[1]) }.sorted() == sharedFiles.map { "shared/" + $0 },
                "every uploaded SST is referenced and nothing else (no temporary files) is in shared/")
        #expect(sharedFiles.allSatisfy { $0.hasPrefix("keyed-1-") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.jobRoot + "/chk-4") == ["keyed-1"])
        #expect(handle.sizeBytes == result.stateSize && result.uploadedBytes == result.stateSize, "a first checkpoint uploads everything")
        #expect(!FileManager.default.fileExists(atPath: fixture.scratchPath(for: backend) + "/chk-4"), "the local checkpoint is gone")
    }

    @Test func secondCheckpointUploadsOnlyTheChangedFiles() throws {
        let fixture = try KeyedStateFixture()
        let backend = try fixture.backend("source", keyGroups: all)
        var random = SplitMix64(seed: 42)
        for index in 0..<50_000 {
            let value = (0..<100).map { _ in UInt8.random(in: 0...255, using: &random) }
            try backend.setValue(value, keyGroup: index % 128, state: 1, key: sample.key(index / 128))
        }
        let snapshotter = fixture.snapshotter(task: "keyed-0", subtask: 0)
        let first = try fixture.checkpoint(backend, snapshotter, id: 1)
        snapshotter.checkpointCompleted(1)
        for group in 0..<5 { try backend.setValue([1, 2, 3], keyGroup: group, state: 1, key: sample.key(0)) }
        let second = try fixture.checkpoint(backend, snapshotter, id: 2)

        #expect(second.uploadedBytes * 5 < first.stateSize, "uploaded \(second.uploadedBytes) of \(first.stateSize) bytes")
        #expect(Set(first.handle.sharedFiles).isSubset(of: Set(second.handle.sharedFiles)), "checkpoint 1's files are referenced")
        #expect(second.stateSize > first.stateSize, "the state size counts the referenced files")
        try fixture.restore([second.handle], keyGroups: all, into: "restored")
        let restored = try RocksDBStateBackend(path: fixture.localPath("restored"), keyGroups: all)
        #expect(try restored.value(keyGroup: 4, state: 1, key: sample.key(0)) == [1, 2, 3])
        #expect(try KeyedStateFixture.contents(of: restored.database) == KeyedStateFixture.contents(of: backend.database))
    }

    @Test func filesOfAnUncompletedCheckpointAreUploadedAgain() throws {
        let fixture = try KeyedStateFixture()
        let backend = try fixture.backend("source", keyGroups: all)
        try sample.write(into: backend)
        let snapshotter = fixture.snapshotter(task: "keyed-0", subtask: 0)
        let first = try fixture.checkpoint(backend, snapshotter, id: 1)
        let second = try fixture.checkpoint(backend, snapshotter, id: 2)

        // Checkpoint 1 may have been aborted and its files deleted by the JobManager.
        #expect(Set(first.handle.sharedFiles).isDisjoint(with: Set(second.handle.sharedFiles)))
        #expect(second.uploadedBytes == second.stateSize)
    }

    @Test func restoredBackendsFirstCheckpointReferencesTheRestoredFiles() throws {
        let fixture = try KeyedStateFixture()
        let backend = try fixture.backend("source", keyGroups: all)
        try sample.write(into: backend)
        let first = try fixture.checkpoint(backend, fixture.snapshotter(task: "keyed-0", subtask: 0), id: 1)

        let reusable = try fixture.restore([first.handle], keyGroups: all, into: "restored")
        let restored = try RocksDBStateBackend(path: fixture.localPath("restored"), keyGroups: all)
        try restored.setValue([9], keyGroup: 1, state: 1, key: [200])
        let next = try fixture.checkpoint(restored, fixture.snapshotter(task: "keyed-0", subtask: 0, reusable: reusable), id: 2)

        #expect(!reusable.isEmpty)
        #expect(Set(first.handle.sharedFiles).isSubset(of: Set(next.handle.sharedFiles)))
        #expect(next.uploadedBytes < next.stateSize)
    }

    @Test func discardRemovesTheLocalCheckpointAndUploadsNothing() throws {
        let fixture = try KeyedStateFixture()
        let backend = try fixture.backend("source", keyGroups: all)
        try sample.write(into: backend)
        let pending = try fixture.pending(backend, fixture.snapshotter(task: "keyed-0", subtask: 0), id: 1)
        #expect(FileManager.default.fileExists(atPath: fixture.scratchPath(for: backend) + "/chk-1/CURRENT"))
        pending.discard()
        #expect(!FileManager.default.fileExists(atPath: fixture.scratchPath(for: backend) + "/chk-1"))
        #expect(!FileManager.default.fileExists(atPath: fixture.jobRoot))
    }
}
