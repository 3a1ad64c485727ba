import Foundation
import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceProtocol
import SluiceRocksDB
import SluiceTaskManager
import Testing

@Suite struct KeyedStateRescaleTests {
    private let sample = SampleKeyedState(keysPerGroup: 30)

    /// Checkpoint 3 of a vertex at parallelism 2 (key groups 0–63 and 64–127), and everything
    /// the two subtasks held.
    private func twoSubtaskCheckpoint(_ fixture: KeyedStateFixture) throws -> (handles: [_ProtoStateHandle], contents: [[UInt8]: [UInt8]]) {
        var handles: [_ProtoStateHandle] = []
        var contents: [[UInt8]: [UInt8]] = [:]
        for subtask in 0..<2 {
            let keyGroups = KeyGroupRange.forSubtask(subtask, parallelism: 2, maxParallelism: KeyedStateFixture.maxParallelism)
            let backend = try fixture.backend("old-\(subtask)", keyGroups: keyGroups)
            try sample.write(into: backend)
            handles.append(try fixture.checkpoint(backend, fixture.snapshotter(task: "keyed-\(subtask)", subtask: subtask), id: 3).handle)
            contents.merge(try KeyedStateFixture.contents(of: backend.database)) { first, _ in first }
        }
        return (handles, contents)
    }

    /// Restores each subtask of `parallelism` and checks it holds exactly its key groups' keys
    /// and timers.
    private func expectRestoredExactly(parallelism: Int) throws {
        let fixture = try KeyedStateFixture()
        let old = try twoSubtaskCheckpoint(fixture)
        #expect(Set(old.contents.keys.map(KeyedStateFixture.keyGroup)) == Set(0..<128), "the old subtasks held every key group")
        for subtask in 0..<parallelism {
            let keyGroups = KeyGroupRange.forSubtask(subtask, parallelism: parallelism, maxParallelism: KeyedStateFixture.maxParallelism)
            try fixture.restore(old.handles, keyGroups: keyGroups, into: "new-\(subtask)")
            let backend = try RocksDBStateBackend(path: fixture.localPath("new-\(subtask)"), keyGroups: keyGroups)

            let expected = old.contents.filter { keyGroups.contains(KeyedStateFixture.keyGroup(of: $0.key)) }
            #expect(try KeyedStateFixture.contents(of: backend.database) == expected, "subtask \(subtask) of \(parallelism): \(keyGroups)")
            #expect(try backend.popTimers(upTo: .max).map(\.timestamp) == sample.timers(in: keyGroups))
            for entry in sample.values(in: keyGroups) where entry.key == sample.key(29) {
                #expect(try backend.value(keyGroup: entry.group, state: SampleKeyedState.state, key: entry.key) == entry.value)
            }
        }
    }

    @Test func scalingInToOneSubtaskKeepsEveryKeyAndTimer() throws {
        try expectRestoredExactly(parallelism: 1)
    }

    @Test func scalingOutToThreeSubtasksGivesEachExactlyItsKeyGroups() throws {
        try expectRestoredExactly(parallelism: 3)
    }

    @Test func restoringAtTheSameParallelismReusesTheCheckpointFiles() throws {
        let fixture = try KeyedStateFixture()
        let old = try twoSubtaskCheckpoint(fixture)
        let reusable = try fixture.restore(old.handles, keyGroups: KeyGroupRange(start: 64, end: 127), into: "new-1")
        let expected = Dictionary(uniqueKeysWithValues: old.handles[1].sharedFiles.map {
            let parts = $0.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts[1])
        })
        #expect(!reusable.isEmpty && reusable == expected)
        for (localName, sharedPath) in reusable {
            let restored = try FileManager.default.attributesOfItem(atPath: fixture.localPath("new-1") + "/" + localName)
            let stored = try FileManager.default.attributesOfItem(atPath: fixture.jobRoot + "/" + sharedPath)
            let restoredInode = try #require(restored[.systemFileNumber] as? Int)
            #expect(restoredInode == stored[.systemFileNumber] as? Int, "\(localName) is linked, not copied")
        }
    }
}
