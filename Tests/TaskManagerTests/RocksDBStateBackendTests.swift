import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluiceTaskManager
import SluiceTestSupport
import Testing

@Suite struct RocksDBStateBackendTests {
    private func withBackend(capacity: Int = 1_000, dirtyLimit: Int = 100,
                             _ body: (RocksDBStateBackend, String) throws -> Void) throws {
        let directory = try TemporaryDirectory(prefix: "sluice-state")
        defer { directory.remove() }
        try body(try RocksDBStateBackend(path: directory.path + "/db", keyGroups: KeyGroupRange(start: 0, end: 127),
                                         capacity: capacity, dirtyLimit: dirtyLimit), directory.path + "/db")
    }

    @Test func valuesAndDeletionsReadTheSameBeforeAndAfterAFlush() throws {
        try withBackend { backend, _ in
            try backend.setValue([1, 2], keyGroup: 5, state: 1, key: [9])
            try backend.setValue([3], keyGroup: 6, state: 1, key: [9])
            try backend.removeValue(keyGroup: 6, state: 1, key: [9])
            #expect(try backend.value(keyGroup: 5, state: 1, key: [9]) == [1, 2])
            #expect(try backend.value(keyGroup: 6, state: 1, key: [9]) == nil)
            try backend.flush()
            #expect(try backend.value(keyGroup: 5, state: 1, key: [9]) == [1, 2])
            #expect(try backend.value(keyGroup: 6, state: 1, key: [9]) == nil)
            #expect(try backend.database.get([0, 5, 1, 9]) == [1, 2], "written through to RocksDB")
            #expect(try backend.database.get([0, 6, 1, 9]) == nil)
        }
    }

    @Test func timersFireInTimeOrderOnceAndSurviveReopening() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-state")
        defer { directory.remove() }
        let path = directory.path + "/db"
        do {
            let backend = try RocksDBStateBackend(path: path, keyGroups: KeyGroupRange(start: 0, end: 127))
            try backend.registerTimer(keyGroup: 1, timestamp: 300, key: [1])
            try backend.registerTimer(keyGroup: 2, timestamp: -100, key: [2])
            try backend.registerTimer(keyGroup: 3, timestamp: 200, key: [3])
            try backend.registerTimer(keyGroup: 3, timestamp: 200, key: [3])
            try backend.deleteTimer(keyGroup: 1, timestamp: 300, key: [1])
            try backend.setValue([7], keyGroup: 3, state: 1, key: [3])
            try backend.flush()
        }
        let reopened = try RocksDBStateBackend(path: path, keyGroups: KeyGroupRange(start: 0, end: 127))
        #expect(reopened.pendingTimers == 2)
        #expect(try reopened.value(keyGroup: 3, state: 1, key: [3]) == [7])
        let due = try reopened.popTimers(upTo: 250)
        #expect(due.map(\.timestamp) == [-100, 200])
        #expect(try reopened.popTimers(upTo: .max).isEmpty, "each timer fires once; the deleted one never")
    }

    @Test func cacheOverflowKeepsEveryValue() throws {
        try withBackend(capacity: 50, dirtyLimit: 20) { backend, _ in
            for index in 0..<500 {
                try backend.setValue([UInt8(index % 256)], keyGroup: index % 128, state: 1, key: [UInt8(index / 256), UInt8(index % 256)])
            }
            for index in 0..<500 {
                #expect(try backend.value(keyGroup: index % 128, state: 1, key: [UInt8(index / 256), UInt8(index % 256)]) == [UInt8(index % 256)])
            }
        }
    }

    @Test func readsOfStoredKeysStayWithinTheCacheCapacity() throws {
        try withBackend(capacity: 50, dirtyLimit: 20) { backend, _ in
            try backend.setValue([1], keyGroup: 0, state: 1, key: [0, 0])
            try backend.flush()
            // Reads only, as between two checkpoints of a job whose writes wait for the next sync.
            for index in 1..<500 {
                #expect(try backend.value(keyGroup: index % 128, state: 1, key: [UInt8(index / 256), UInt8(index % 256)]) == nil)
                #expect(backend.cachedEntries <= 50, "after \(index) reads: \(backend.cachedEntries) cached")
            }
            #expect(try backend.value(keyGroup: 0, state: 1, key: [0, 0]) == [1], "the stored value is read back after trimming")
        }
    }
}
