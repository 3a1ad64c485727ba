import CRocksDB

/// An open RocksDB database: owns the `rocksdb_t` and the options it was opened with (database,
/// read, write and flush options); `deinit` closes the database and frees them.
///
/// Thread rules: RocksDB documents a `DB` as safe to share between threads without external
/// synchronisation, and the option objects are only read after `open`, so this type is
/// Sendable. Write batches and iterators are not: each belongs to one thread.
///
/// Invariants: the database stays open while any `RocksIterator` made from it is alive (each
/// holds a strong reference), so no iterator outlives its database. Only one `RocksDatabase`
/// per path can be open at a time (RocksDB's LOCK file); a second `open` fails until the first
/// instance is released.
public final class RocksDatabase: @unchecked Sendable {  // rocksdb_t is documented thread-safe; options are read-only after open.
    /// The folder holding the database files.
    public let path: String
    let handle: OpaquePointer
    private let options: OpaquePointer
    private let readOptions: OpaquePointer
    private let writeOptions: OpaquePointer

    private init(path: String, handle: OpaquePointer, options: OpaquePointer, readOptions: OpaquePointer, writeOptions: OpaquePointer) {
        self.path = path
        self.handle = handle
        self.options = options
        self.readOptions = readOptions
        self.writeOptions = writeOptions
    }

    deinit {
        rocksdb_close(handle)
        rocksdb_writeoptions_destroy(writeOptions)
        rocksdb_readoptions_destroy(readOptions)
        rocksdb_options_destroy(options)
    }

    /// Opens the database in the folder `path`, creating it when `createIfMissing` is set.
    /// `parallelism` is the number of background threads for flushes and compactions;
    /// `writeBufferSize` (bytes, nil = RocksDB's 64 MiB) bounds each memtable; with
    /// `writeAheadLog: false` writes skip the WAL — for state whose durability comes from
    /// checkpoints, where the WAL is pure cost. `bloomFilterBitsPerKey` (nil: none) gives every
    /// table file a whole-key Bloom filter, so a read of an absent key skips the files that
    /// cannot hold it instead of searching each one's index and data block.
    public static func open(path: String, createIfMissing: Bool = true, parallelism: Int = 2,
                            writeBufferSize: Int? = nil, writeAheadLog: Bool = true,
                            bloomFilterBitsPerKey: Double? = nil) throws -> RocksDatabase {
        let options: OpaquePointer = rocksdb_options_create()  // C++ `new`: never NULL
        rocksdb_options_set_create_if_missing(options, createIfMissing ? 1 : 0)
        rocksdb_options_increase_parallelism(options, Int32(clamping: max(1, parallelism)))
        if let writeBufferSize { rocksdb_options_set_write_buffer_size(options, writeBufferSize) }
        if let bloomFilterBitsPerKey {
            let table: OpaquePointer = rocksdb_block_based_options_create()
            // The table options take the policy; the options copy the table options.
            rocksdb_block_based_options_set_filter_policy(table, rocksdb_filterpolicy_create_bloom_full(bloomFilterBitsPerKey))
            rocksdb_options_set_block_based_table_factory(options, table)
            rocksdb_block_based_options_destroy(table)
        }
        var error: UnsafeMutablePointer<CChar>?
        let handle = rocksdb_open(options, path, &error)
        if let failure = RocksDBError.take(&error, { .openFailed(path: path, status: $0, message: $1) }) {
            if let handle { rocksdb_close(handle) }
            rocksdb_options_destroy(options)
            throw failure
        }
        guard let handle else {
            rocksdb_options_destroy(options)
            throw RocksDBError.openFailed(path: path, status: .unknown, message: "rocksdb_open returned NULL without an error")
        }
        let writeOptions: OpaquePointer = rocksdb_writeoptions_create()
        if !writeAheadLog { rocksdb_writeoptions_disable_WAL(writeOptions, 1) }
        return RocksDatabase(path: path, handle: handle, options: options,
                             readOptions: rocksdb_readoptions_create(), writeOptions: writeOptions)
    }

    // MARK: Point reads and writes

    /// Stores `value` under `key`, replacing any previous value.
    public func put(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws {
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_put(handle, writeOptions, key.cChars, key.count, value.cChars, value.count, &error)
        if let failure = RocksDBError.take(&error, failure("put")) { throw failure }
    }

    /// Stores `value` under `key`, replacing any previous value.
    public func put(_ key: [UInt8], _ value: [UInt8]) throws {
        try key.withUnsafeBytes { key in try value.withUnsafeBytes { try put(key: key, value: $0) } }
    }

    /// A copy of the value stored under `key`, or nil when there is none.
    public func get(key: UnsafeRawBufferPointer) throws -> [UInt8]? {
        try withValue(forKey: key) { $0.map(Array.init) }
    }

    /// A copy of the value stored under `key`, or nil when there is none.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try key.withUnsafeBytes { try get(key: $0) }
    }

    /// Calls `body` with the value stored under `key` (nil when there is none) without copying
    /// it; the buffer is valid only inside `body`.
    public func withValue<Result>(forKey key: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer?) throws -> Result) throws -> Result {
        var error: UnsafeMutablePointer<CChar>?
        let slice = rocksdb_get_pinned(handle, readOptions, key.cChars, key.count, &error)
        if let failure = RocksDBError.take(&error, failure("get")) {
            if let slice { rocksdb_pinnableslice_destroy(slice) }
            throw failure
        }
        guard let slice else { return try body(nil) }
        defer { rocksdb_pinnableslice_destroy(slice) }
        var length = 0
        let bytes = rocksdb_pinnableslice_value(slice, &length)
        return try body(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// Removes `key`; removing a missing key is not an error.
    public func delete(key: UnsafeRawBufferPointer) throws {
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_delete(handle, writeOptions, key.cChars, key.count, &error)
        if let failure = RocksDBError.take(&error, failure("delete")) { throw failure }
    }

    /// Removes `key`; removing a missing key is not an error.
    public func delete(_ key: [UInt8]) throws {
        try key.withUnsafeBytes { try delete(key: $0) }
    }

    /// Applies every operation of `batch` atomically.
    public func write(_ batch: RocksWriteBatch) throws {
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_write(handle, writeOptions, batch.handle, &error)
        if let failure = RocksDBError.take(&error, failure("write of a batch of \(batch.count) operations")) { throw failure }
    }

    // MARK: Iteration

    /// An iterator over the keys starting with `prefix`, in key order. It starts unpositioned:
    /// call `seekToFirst()` (or `seek`) before reading.
    public func makeIterator(prefix: [UInt8]) -> RocksIterator {
        RocksIterator(database: self, lowerBound: prefix.isEmpty ? nil : prefix, upperBound: Self.prefixSuccessor(prefix))
    }

    /// An iterator over the keys in `lowerBound..<upperBound` (nil: unbounded), in key order.
    /// It starts unpositioned: call `seekToFirst()` (or `seek`) before reading.
    public func makeIterator(from lowerBound: [UInt8]? = nil, upTo upperBound: [UInt8]? = nil) -> RocksIterator {
        RocksIterator(database: self, lowerBound: lowerBound, upperBound: upperBound)
    }

    /// The smallest key greater than every key starting with `prefix`; nil if there is none
    /// (the prefix is empty or all 0xFF).
    static func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8]? {
        var successor = prefix
        while let last = successor.last {
            if last < 0xFF {
                successor[successor.count - 1] = last + 1
                return successor
            }
            successor.removeLast()
        }
        return nil
    }

    // MARK: Durability

    /// Writes the memtables to SST files and waits until that is done.
    public func flush() throws {
        let flushOptions: OpaquePointer = rocksdb_flushoptions_create()
        defer { rocksdb_flushoptions_destroy(flushOptions) }
        rocksdb_flushoptions_set_wait(flushOptions, 1)
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_flush(handle, flushOptions, &error)
        if let failure = RocksDBError.take(&error, failure("flush")) { throw failure }
    }

    /// Creates a consistent, openable copy of the database in `directory` (which must not
    /// exist yet): the memtable is flushed first and SST files are hard-linked, not copied,
    /// when `directory` is on the same filesystem.
    public func createCheckpoint(at directory: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let checkpoint = rocksdb_checkpoint_object_create(handle, &error)
        if let failure = RocksDBError.take(&error, failure("checkpoint to \(directory)")) {
            if let checkpoint { rocksdb_checkpoint_object_destroy(checkpoint) }
            throw failure
        }
        guard let checkpoint else {
            throw RocksDBError.operationFailed(operation: "checkpoint to \(directory)", path: path, status: .unknown,
                                               message: "rocksdb_checkpoint_object_create returned NULL")
        }
        defer { rocksdb_checkpoint_object_destroy(checkpoint) }
        rocksdb_checkpoint_create(checkpoint, directory, 0, &error)
        if let failure = RocksDBError.take(&error, failure("checkpoint to \(directory)")) { throw failure }
    }

    /// A RocksDB property such as `rocksdb.estimate-num-keys` or `rocksdb.total-sst-files-size`;
    /// nil for an unknown name.
    public func property(_ name: String) -> String? {
        guard let value = rocksdb_property_value(handle, name) else { return nil }
        defer { rocksDBFree(value) }
        return String(cString: value)
    }

    private func failure(_ operation: String) -> (RocksDBError.Status, String) -> RocksDBError {
        let path = self.path
        return { .operationFailed(operation: operation, path: path, status: $0, message: $1) }
    }
}
