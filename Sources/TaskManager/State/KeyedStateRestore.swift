import Logging
import SluiceEngine
import SluiceProtocol
import SluiceRocksDB

/// Rebuilds a subtask's RocksDB directory from the keyed-state handles of a checkpoint, at the
/// same or another parallelism.
///
/// The handle sharing the most key groups with the subtask becomes the base: its files are
/// linked into the directory and the key groups it holds beyond the subtask's range are
/// range-deleted. On a rescale, the keys of the other overlapping handles are then copied in.
/// Without a rescale that is the link step alone, which keeps recovery fast. Because the base's
/// SST files stay as they were, they are returned for the next snapshot to reference.
///
/// Runs on the calling thread (the task's, before it opens its `RocksDBStateBackend`).
public enum KeyedStateRestore {
    private static let copyBatchSize = 10_000

    /// Replaces whatever is in `directory` with the state of `keyGroups` from `handles`.
    ///
    /// - Parameter handles: the `keyed-rocksdb` handles of every subtask of the vertex in the
    ///   checkpoint (old parallelism); other kinds are ignored. Empty on a fresh start.
    /// - Returns: local SST file name → shared path, for `KeyedStateSnapshotter(reusable:)`.
    public static func restore(handles: [_ProtoStateHandle], jobRoot: String, into directory: String,
                               keyGroups: KeyGroupRange, logger: Logger) throws -> [String: String] {
        let keyed = try handles.filter { $0.kind == KeyedStateHandle.kind }.map { try KeyedStateHandle($0, jobRoot: jobRoot) }
        let overlapping = try coveringHandles(keyed, keyGroups: keyGroups)
        try CheckpointFiles.removeTree(directory)
        guard let base = overlapping.max(by: { sharedCount($0, keyGroups) < sharedCount($1, keyGroups) }) else {
            logger.info("no keyed state to restore", metadata: ["keyGroups": "\(keyGroups)"])
            return [:]
        }
        try base.download(into: directory)
        var copiedKeys = 0
        do {
            let database = try base.openDownloaded(at: directory)
            try deleteKeyGroups(base.keyGroups, outside: keyGroups, in: database)
            for other in overlapping where other.privateDirectory != base.privateDirectory {
                copiedKeys += try copyKeyGroups(of: other, keyGroups: keyGroups, into: database,
                                                scratch: directory + ".rescale-\(other.subtask)", logger: logger)
            }
            try database.flush()
        }
        logger.info("keyed state restored", metadata: [
            "checkpoint": "\(base.checkpoint)", "keyGroups": "\(keyGroups)", "handles": "\(overlapping.count)",
            "baseSubtask": "\(base.subtask)", "linkedFiles": "\(base.sharedFiles.count)", "copiedKeys": "\(copiedKeys)",
        ])
        return base.reusable
    }

    /// The handles holding key groups of `keyGroups`, in key-group order. Throws when two
    /// handles claim the same key group or some key group of `keyGroups` has no handle: either
    /// would silently restore wrong state.
    private static func coveringHandles(_ handles: [KeyedStateHandle], keyGroups: KeyGroupRange) throws -> [KeyedStateHandle] {
        guard !handles.isEmpty else { return [] }
        var unique: [String: KeyedStateHandle] = [:]
        for handle in handles { unique[handle.privateDirectory] = handle }
        let sorted = unique.values.sorted { $0.keyGroups.start < $1.keyGroups.start }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where next.keyGroups.start <= previous.keyGroups.end {
            throw KeyedStateError.invalidHandle(checkpoint: next.checkpoint, reason:
                "subtasks \(previous.subtask) and \(next.subtask) both hold key groups from \(next.keyGroups.start)")
        }
        let overlapping = sorted.filter { $0.keyGroups.intersection(keyGroups) != nil }
        var nextUncovered = keyGroups.start
        for handle in overlapping where handle.keyGroups.start <= nextUncovered { nextUncovered = max(nextUncovered, handle.keyGroups.end + 1) }
        guard nextUncovered > keyGroups.end else {
            throw KeyedStateError.invalidHandle(checkpoint: sorted[0].checkpoint, reason:
                "no handle holds key group \(nextUncovered) of \(keyGroups); the checkpoint lists the state of only some subtasks")
        }
        return overlapping
    }

    private static func sharedCount(_ handle: KeyedStateHandle, _ keyGroups: KeyGroupRange) -> Int {
        handle.keyGroups.intersection(keyGroups)?.count ?? 0
    }

    /// Range-deletes the key groups of `held` outside `kept` (each key group is one key range).
    private static func deleteKeyGroups(_ held: KeyGroupRange, outside kept: KeyGroupRange, in database: RocksDatabase) throws {
        let batch = RocksWriteBatch()
        if held.start < kept.start {
            batch.deleteRange(from: RocksDBStateBackend.keyGroupPrefix(held.start), upTo: RocksDBStateBackend.keyGroupPrefix(kept.start))
        }
        if held.end > kept.end {
            batch.deleteRange(from: RocksDBStateBackend.keyGroupPrefix(kept.end + 1), upTo: RocksDBStateBackend.keyGroupPrefix(held.end + 1))
        }
        if batch.count > 0 { try database.write(batch) }
    }

    /// Downloads `handle` into `scratch` and copies its keys of `keyGroups` into `database`.
    private static func copyKeyGroups(of handle: KeyedStateHandle, keyGroups: KeyGroupRange, into database: RocksDatabase,
                                      scratch: String, logger: Logger) throws -> Int {
        guard let range = handle.keyGroups.intersection(keyGroups) else { return 0 }
        try CheckpointFiles.removeTree(scratch)
        defer {
            do { try CheckpointFiles.removeTree(scratch) } catch {
                logger.warning("cannot remove rescale scratch directory", metadata: ["error": "\(error)"])
            }
        }
        try handle.download(into: scratch)
        return try copyKeys(of: range, from: handle.openDownloaded(at: scratch), handle: handle, into: database)
    }

    private static func copyKeys(of range: KeyGroupRange, from source: RocksDatabase, handle: KeyedStateHandle,
                                 into database: RocksDatabase) throws -> Int {
        let iterator = source.makeIterator(from: RocksDBStateBackend.keyGroupPrefix(range.start),
                                           upTo: RocksDBStateBackend.keyGroupPrefix(range.end + 1))
        let batch = RocksWriteBatch()
        var copied = 0
        iterator.seekToFirst()
        while iterator.isValid {
            iterator.withKey { key in iterator.withValue { batch.put(key: key, value: $0) } }
            copied += 1
            if batch.count >= copyBatchSize {
                try database.write(batch)
                batch.clear()
            }
            iterator.next()
        }
        try handle.readingDownloaded { try iterator.checkError() }
        if batch.count > 0 { try database.write(batch) }
        return copied
    }
}
