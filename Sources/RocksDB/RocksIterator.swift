import CRocksDB

/// A cursor over a consistent snapshot of a `RocksDatabase` (the state when it was made),
/// optionally bounded to a key range. Owns a `rocksdb_iterator_t`, its read options and the
/// bound keys those options point to; `deinit` frees them.
///
/// Thread rules: not Sendable; use it on one thread.
///
/// Invariants: it holds a strong reference to its database, so the database stays open for
/// as long as the iterator exists. `key`/`value` may only be read while `isValid`; the buffers
/// passed to `withKey`/`withValue` are valid until the iterator moves.
public final class RocksIterator {
    private let database: RocksDatabase
    private let handle: OpaquePointer
    private let readOptions: OpaquePointer
    /// Storage the read options' bounds point into; RocksDB does not copy them.
    private let bounds: [UnsafeMutableRawBufferPointer]

    init(database: RocksDatabase, lowerBound: [UInt8]?, upperBound: [UInt8]?) {
        self.database = database
        let readOptions: OpaquePointer = rocksdb_readoptions_create()  // C++ `new`: never NULL
        var bounds: [UnsafeMutableRawBufferPointer] = []
        func retained(_ key: [UInt8]) -> UnsafeMutableRawBufferPointer {
            let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, key.count), alignment: 1)
            key.withUnsafeBytes { storage.copyMemory(from: $0) }
            bounds.append(storage)
            return storage
        }
        if let lowerBound {
            let storage = retained(lowerBound)
            rocksdb_readoptions_set_iterate_lower_bound(readOptions, storage.baseAddress?.assumingMemoryBound(to: CChar.self), lowerBound.count)
        }
        if let upperBound {
            let storage = retained(upperBound)
            rocksdb_readoptions_set_iterate_upper_bound(readOptions, storage.baseAddress?.assumingMemoryBound(to: CChar.self), upperBound.count)
        }
        self.readOptions = readOptions
        self.bounds = bounds
        handle = rocksdb_create_iterator(database.handle, readOptions)
    }

    deinit {
        rocksdb_iter_destroy(handle)
        rocksdb_readoptions_destroy(readOptions)
        for storage in bounds { storage.deallocate() }
    }

    /// Whether the iterator points at an entry.
    public var isValid: Bool { rocksdb_iter_valid(handle) != 0 }

    /// Positions at the first entry (within the bounds).
    public func seekToFirst() { rocksdb_iter_seek_to_first(handle) }

    /// Positions at the last entry (within the bounds).
    public func seekToLast() { rocksdb_iter_seek_to_last(handle) }

    /// Positions at the first entry whose key is at or after `key`.
    public func seek(_ key: [UInt8]) {
        key.withUnsafeBytes { rocksdb_iter_seek(handle, $0.cChars, $0.count) }
    }

    /// Positions at the last entry whose key is at or before `key`.
    public func seekForPrevious(_ key: [UInt8]) {
        key.withUnsafeBytes { rocksdb_iter_seek_for_prev(handle, $0.cChars, $0.count) }
    }

    /// Moves to the next entry in key order. Requires `isValid`.
    public func next() {
        precondition(isValid, "RocksIterator.next() on an invalid iterator")
        rocksdb_iter_next(handle)
    }

    /// Moves to the previous entry in key order. Requires `isValid`.
    public func previous() {
        precondition(isValid, "RocksIterator.previous() on an invalid iterator")
        rocksdb_iter_prev(handle)
    }

    /// A copy of the current key. Requires `isValid`.
    public var key: [UInt8] { withKey { Array($0) } }

    /// A copy of the current value. Requires `isValid`.
    public var value: [UInt8] { withValue { Array($0) } }

    /// Calls `body` with the current key, without copying. Requires `isValid`.
    public func withKey<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        precondition(isValid, "RocksIterator key read on an invalid iterator")
        var length = 0
        let bytes = rocksdb_iter_key(handle, &length)
        return try body(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// Calls `body` with the current value, without copying. Requires `isValid`.
    public func withValue<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        precondition(isValid, "RocksIterator value read on an invalid iterator")
        var length = 0
        let bytes = rocksdb_iter_value(handle, &length)
        return try body(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// Throws if iteration stopped because of an error (e.g. a corrupt block) rather than
    /// reaching the end; check it once `isValid` turns false.
    public func checkError() throws {
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_iter_get_error(handle, &error)
        let path = database.path
        if let failure = RocksDBError.take(&error, { .operationFailed(operation: "iteration", path: path, status: $0, message: $1) }) {
            throw failure
        }
    }
}
