import Foundation
import Logging
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
import SluiceTestSupport

/// A job checkpoint root plus local state and scratch directories in one temporary directory,
/// with the steps keyed-state tests repeat: fill a backend, checkpoint it, restore, read back.
final class KeyedStateFixture {
    static let operatorID = "counts"
    static let maxParallelism = 128

    let directory: TemporaryDirectory
    let logger = Logger(label: "keyed-state-test")
    var jobRoot: String { directory.path + "/checkpoints" }

    init() throws {
        directory = try TemporaryDirectory(prefix: "sluice-keyed")
        try FileManager.default.createDirectory(atPath: directory.path + "/local", withIntermediateDirectories: true)
    }

    deinit {
        directory.remove()
    }

    /// A fresh backend in local directory `name`.
    func backend(_ name: String, keyGroups: KeyGroupRange) throws -> RocksDBStateBackend {
        try RocksDBStateBackend(path: localPath(name), keyGroups: keyGroups)
    }

    func snapshotter(task: String, subtask: Int, reusable: [String: String] = [:]) -> KeyedStateSnapshotter {
        KeyedStateSnapshotter(jobRoot: jobRoot, taskName: task, subtask: subtask, reusable: reusable, logger: logger)
    }

    /// Takes and uploads checkpoint `id` of `backend`, with scratch space next to its database.
    func checkpoint(_ backend: RocksDBStateBackend, _ snapshotter: KeyedStateSnapshotter, id: UInt64) throws -> KeyedSnapshotResult {
        try pending(backend, snapshotter, id: id).upload()
    }

    func pending(_ backend: RocksDBStateBackend, _ snapshotter: KeyedStateSnapshotter, id: UInt64) throws -> PendingKeyedSnapshot {
        try snapshotter.snapshotSynchronously(backend, checkpointID: id, operatorID: Self.operatorID,
                                              scratchDirectory: scratchPath(for: backend))
    }

    func scratchPath(for backend: RocksDBStateBackend) -> String {
        backend.database.path + "-scratch"
    }

    /// Restores `keyGroups` from `handles` into local directory `name`.
    @discardableResult
    func restore(_ handles: [_ProtoStateHandle], keyGroups: KeyGroupRange, into name: String) throws -> [String: String] {
        try KeyedStateRestore.restore(handles: handles, jobRoot: jobRoot, into: localPath(name), keyGroups: keyGroups, logger: logger)
    }

    func localPath(_ name: String) -> String {
        directory.path + "/local/" + name
    }

    /// Every key and value in `database`, timers included (they are keys too).
    static func contents(of database: RocksDatabase) throws -> [[UInt8]: [UInt8]] {
        let iterator = database.makeIterator()
        iterator.seekToFirst()
        var contents: [[UInt8]: [UInt8]] = [:]
        while iterator.isValid {
            contents[iterator.key] = iterator.value
            iterator.next()
        }
        try iterator.checkError()
        return contents
    }

    /// The key group a raw state key belongs to (its first two bytes).
    static func keyGroup(of key: [UInt8]) -> Int {
        Int(key[0]) << 8 | Int(key[1])
    }
}
