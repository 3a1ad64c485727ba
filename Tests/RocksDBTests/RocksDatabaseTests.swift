import Foundation
import SluiceRocksDB
import SluiceTestSupport
import Testing

/// Bytes from a short string, so tables of keys read naturally.
private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Every entry an iterator yields from its first position.
private func entries(_ iterator: RocksIterator) throws -> [(key: [UInt8], value: [UInt8])] {
    var result: [(key: [UInt8], value: [UInt8])] = []
    iterator.seekToFirst()
    while iterator.isValid {
        result.append((iterator.key, iterator.value))
        iterator.next()
    }
    try iterator.checkError()
    return result
}

@Suite("RocksDB database")
struct RocksDatabaseTests {
    @Test("put, get and delete round-trip byte keys and values")
    func putGetDelete() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        let binaryKey: [UInt8] = [0x00, 0xFF, 0x10]
        try database.put(binaryKey, [0x01, 0x00, 0x02])
        try database.put(bytes("empty"), [])
        #expect(try database.get(binaryKey) == [0x01, 0x00, 0x02])
        #expect(try database.get(bytes("empty")) == [])
        #expect(try database.get(bytes("missing")) == nil)

        try database.delete(binaryKey)
        #expect(try database.get(binaryKey) == nil)
        try database.delete(bytes("never-written"))  // deleting a missing key is fine
    }

    @Test("raw-buffer overloads read without copying and agree with the array ones")
    func rawBufferOverloads() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        let key = bytes("k"), value = bytes("value")
        try key.withUnsafeBytes { key in try value.withUnsafeBytes { try database.put(key: key, value: $0) } }
        let length = try key.withUnsafeBytes { try database.withValue(forKey: $0) { $0?.count } }
        #expect(length == value.count)
        #expect(try database.get(key) == value)
    }

    @Test("with Bloom filters, flushed values read back and absent keys read nil; the table files carry the filter")
    func bloomFilteredTables() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("db").path
        let database = try RocksDatabase.open(path: path, writeAheadLog: false, bloomFilterBitsPerKey: 10)
        for index in 0..<1_000 { try database.put(bytes("key \(index * 2)"), bytes("value \(index)")) }
        try database.flush()  // into a table file, where the filter applies
        for index in 0..<1_000 {
            #expect(try database.get(bytes("key \(index * 2)")) == bytes("value \(index)"))
            #expect(try database.get(bytes("key \(index * 2 + 1)")) == nil)
        }
        let optionsFiles = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix("OPTIONS-") }
        let written = try optionsFiles.map { try String(contentsOfFile: path + "/" + $0, encoding: .utf8) }
        #expect(written.contains { $0.contains("filter_policy=bloomfilter") }, "RocksDB recorded the filter policy")
    }

    @Test("iteration yields keys in byte order, not insertion order")
    func iteratesInKeyOrder() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        for key in ["b", "a2", "c", "a10", "a"] { try database.put(bytes(key), bytes("v-\(key)")) }

        let all = try entries(database.makeIterator())
        #expect(all.map { String(decoding: $0.key, as: UTF8.self) } == ["a", "a10", "a2", "b", "c"])
        #expect(all.map { String(decoding: $0.value, as: UTF8.self) } == ["v-a", "v-a10", "v-a2", "v-b", "v-c"])
    }

    @Test("a prefix iterator stops at the end of the prefix, also for 0xFF bytes")
    func prefixIteratorStaysInsidePrefix() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        let keys: [[UInt8]] = [[0x00, 0x01], [0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0xFF, 0x07], [0x02], [0x02, 0x00]]
        for key in keys { try database.put(key, key) }

        #expect(try entries(database.makeIterator(prefix: [0x01])).map(\.key) == [[0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0xFF, 0x07]])
        #expect(try entries(database.makeIterator(prefix: [0x01, 0xFF])).map(\.key) == [[0x01, 0xFF], [0x01, 0xFF, 0xFF, 0x07]])
        #expect(try entries(database.makeIterator(prefix: [0x03])).isEmpty)
    }

    @Test("a range iterator covers lower bound inclusive to upper bound exclusive, and seeks inside it")
    func rangeIteratorHonoursBounds() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        for key in ["a", "b", "c", "d", "e"] { try database.put(bytes(key), bytes(key)) }

        let iterator = database.makeIterator(from: bytes("b"), upTo: bytes("d"))
        #expect(try entries(iterator).map(\.key) == [bytes("b"), bytes("c")])
        iterator.seekToLast()
        #expect(iterator.key == bytes("c"))
        iterator.seek(bytes("bb"))
        #expect(iterator.key == bytes("c"))
        iterator.seekForPrevious(bytes("bb"))
        #expect(iterator.key == bytes("b"))
        iterator.previous()
        #expect(!iterator.isValid)
    }

    @Test("an iterator reads the snapshot taken when it was made")
    func iteratorSeesSnapshot() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        try database.put(bytes("before"), bytes("1"))
        let iterator = database.makeIterator()
        try database.put(bytes("after"), bytes("2"))
        #expect(try entries(iterator).map(\.key) == [bytes("before")])
    }

    @Test("a write batch applies puts and deletes together")
    func writeBatchAppliesAllOperations() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        try database.put(bytes("old"), bytes("x"))
        for key in ["r1", "r2", "r3", "s1"] { try database.put(bytes(key), bytes("x")) }

        let batch = RocksWriteBatch()
        batch.put(bytes("new1"), bytes("a"))
        batch.put(bytes("new2"), bytes("b"))
        batch.delete(bytes("old"))
        batch.deleteRange(from: bytes("r"), upTo: bytes("s"))
        #expect(batch.count == 4)
        #expect(try database.get(bytes("new1")) == nil, "nothing is applied before write")

        try database.write(batch)
        #expect(try entries(database.makeIterator()).map(\.key) == [bytes("new1"), bytes("new2"), bytes("s1")])
        batch.clear()
        #expect(batch.count == 0)
    }

    @Test("data written before release is there after reopening the same folder")
    func reopenAfterCloseKeepsData() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("db").path
        do {
            let database = try RocksDatabase.open(path: path)
            try database.put(bytes("durable"), bytes("yes"))
        }
        let reopened = try RocksDatabase.open(path: path, createIfMissing: false)
        #expect(try reopened.get(bytes("durable")) == bytes("yes"))
    }

    @Test("a second open of a database that is still open fails on its lock")
    func secondOpenWhileOpenFails() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("db").path
        let first = try RocksDatabase.open(path: path)
        let error = try #require(throws: RocksDBError.self) { try RocksDatabase.open(path: path) }
        #expect(error.status == .ioError)
        #expect(error.description.contains("LOCK"))
        withExtendedLifetime(first) {}
    }

    @Test("an iterator keeps its database open after the last other reference is gone")
    func iteratorKeepsDatabaseAlive() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("db").path
        var database: RocksDatabase? = try RocksDatabase.open(path: path)
        try database?.put(bytes("k"), bytes("v"))
        let iterator = try #require(database?.makeIterator())
        database = nil
        #expect(try entries(iterator).map(\.value) == [bytes("v")])
        #expect(throws: RocksDBError.self) { try RocksDatabase.open(path: path) }  // still open, still locked
    }

    @Test("a checkpoint opens as a database holding the data as of the checkpoint")
    func checkpointReopensWithItsData() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        for index in 0..<1_000 { try database.put(bytes(String(format: "key-%04d", index)), bytes("value-\(index)")) }
        let checkpointPath = directory.url.appendingPathComponent("checkpoint-1").path
        try database.createCheckpoint(at: checkpointPath)
        try database.put(bytes("after-checkpoint"), bytes("x"))
        try database.delete(bytes("key-0000"))

        let restored = try RocksDatabase.open(path: checkpointPath, createIfMissing: false)
        #expect(try restored.get(bytes("key-0000")) == bytes("value-0"))
        #expect(try restored.get(bytes("key-0999")) == bytes("value-999"))
        #expect(try restored.get(bytes("after-checkpoint")) == nil)
        #expect(try entries(restored.makeIterator(prefix: bytes("key-"))).count == 1_000)
    }

    @Test("a checkpoint into an existing folder fails with the folder named")
    func checkpointIntoExistingFolderFails() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let database = try RocksDatabase.open(path: directory.url.appendingPathComponent("db").path)
        let error = try #require(throws: RocksDBError.self) { try database.createCheckpoint(at: directory.path) }
        #expect(error.description.contains(directory.path))
    }

    @Test("flush persists memtables into SST files")
    func flushWritesSSTFiles() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("db").path
        let database = try RocksDatabase.open(path: path)
        try database.put(bytes("k"), bytes("v"))
        #expect(database.property("rocksdb.num-files-at-level0") == "0")
        try database.flush()
        #expect(database.property("rocksdb.num-files-at-level0") == "1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).contains { $0.hasSuffix(".sst") })
        #expect(database.property("no.such.property") == nil)
    }

    @Test("opening a path that is a regular file fails with an I/O error naming the path")
    func openingAFileFails() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let filePath = directory.url.appendingPathComponent("not-a-folder").path
        #expect(FileManager.default.createFile(atPath: filePath, contents: Data("x".utf8)))
        let error = try #require(throws: RocksDBError.self) { try RocksDatabase.open(path: filePath) }
        guard case .openFailed(let path, let status, _) = error else {
            Issue.record("expected openFailed, got \(error)")
            return
        }
        #expect(path == filePath)
        #expect(status == .ioError)
    }

    @Test("opening a missing folder without create-if-missing fails as an invalid argument")
    func openingMissingFolderWithoutCreateFails() throws {
        let directory = try TemporaryDirectory(prefix: "sluice-rocks")
        defer { directory.remove() }
        let error = try #require(throws: RocksDBError.self) {
            try RocksDatabase.open(path: directory.url.appendingPathComponent("absent").path, createIfMissing: false)
        }
        #expect(error.status == .invalidArgument)
    }
}
