import CRocksDB

/// Puts and deletes collected in memory and applied atomically by `RocksDatabase.write`.
/// Owns a `rocksdb_writebatch_t`, freed in `deinit`.
///
/// Thread rules: not Sendable; build and write it on one thread. Reusable after `clear()`.
public final class RocksWriteBatch {
    let handle: OpaquePointer

    public init() {
        handle = rocksdb_writebatch_create()
    }

    deinit {
        rocksdb_writebatch_destroy(handle)
    }

    /// The number of operations in the batch.
    public var count: Int { Int(rocksdb_writebatch_count(handle)) }

    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        rocksdb_writebatch_put(handle, key.cChars, key.count, value.cChars, value.count)
    }

    public func put(_ key: [UInt8], _ value: [UInt8]) {
        key.withUnsafeBytes { key in value.withUnsafeBytes { put(key: key, value: $0) } }
    }

    public func delete(key: UnsafeRawBufferPointer) {
        rocksdb_writebatch_delete(handle, key.cChars, key.count)
    }

    public func delete(_ key: [UInt8]) {
        key.withUnsafeBytes { delete(key: $0) }
    }

    /// Deletes every key in `lowerBound..<upperBound`.
    public func deleteRange(from lowerBound: [UInt8], upTo upperBound: [UInt8]) {
        lowerBound.withUnsafeBytes { lower in
            upperBound.withUnsafeBytes { upper in
                rocksdb_writebatch_delete_range(handle, lower.cChars, lower.count, upper.cChars, upper.count)
            }
        }
    }

    /// Removes all operations, keeping the batch for reuse.
    public func clear() {
        rocksdb_writebatch_clear(handle)
    }
}
