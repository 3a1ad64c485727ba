import HeapModule
import SluiceEngine
import SluiceRocksDB

/// Keyed state and timers of one subtask in its own RocksDB instance, behind a write-back cache.
///
/// Owns the database. Layout (DESIGN.md §5): values under `[key group u16 BE][state id][key]`,
/// timers under `[key group u16 BE][0xFF][timestamp, sign-flipped BE][key]`, so a key group's
/// data is one contiguous range (snapshots and rescaling work per key group).
///
/// Why a cache: a RocksDB read, write and timer move per record cost ~30 µs of skip-list and
/// WAL work. Here repeated reads and all writes hit memory; pending values and timer changes
/// reach RocksDB in one key-ordered write batch (WAL off — durability comes from checkpoints)
/// when `dirtyLimit` of them are pending and on `flush()` (end of input; before a snapshot).
/// The read cache holds at most `capacity` entries. Timers also live in an in-memory heap
/// rebuilt from RocksDB on open, so firing them needs no scans. Used on the owning task's
/// thread only.
///
/// The defaults are small because operators keep their hot state decoded in front of this
/// backend (`KeyedStateCache`): what reaches it are syncs and evictions, written in batches of
/// `dirtyLimit` entries so a large sync never builds one huge write batch and memtable.
public final class RocksDBStateBackend: KeyedStateBackend {
    static let timerState: UInt8 = 0xFF

    public let database: RocksDatabase
    public let keyGroups: KeyGroupRange
    private let capacity: Int
    private let dirtyLimit: Int
    /// Values read from RocksDB by full key; nil = known absent. Writes update an entry that is
    /// here but never add one: the operators above keep what they write decoded themselves.
    private var cache: [StateKey: [UInt8]?] = [:]
    /// Writes since the last flush (nil = delete); reads look here first.
    private var pending: [StateKey: [UInt8]?] = [:]
    private var timers = Heap<TimerKey>()
    private var liveTimers = Set<TimerKey>()
    /// Timer changes since the last flush: true = added, false = removed.
    private var timerChanges: [TimerKey: Bool] = [:]
    private var keyBuffer = StateKey(bytes: [])
    /// False while the database is known to hold no value: opened empty (a fresh subtask, not a
    /// restore) and nothing stored since. Reads then answer nil without a RocksDB lookup or a
    /// cache entry — the first read of every key of a new job would otherwise pay for both.
    private var mayHoldValues = true

    public init(path: String, keyGroups: KeyGroupRange, capacity: Int = 50_000, dirtyLimit: Int = 20_000) throws {
        database = try Self.openDatabase(path: path, createIfMissing: true)
        self.keyGroups = keyGroups
        self.capacity = capacity
        self.dirtyLimit = dirtyLimit
        let iterator = database.makeIterator()
        iterator.seekToFirst()
        mayHoldValues = iterator.isValid
        try iterator.checkError()
        try loadTimers()
    }

    /// Opens a state database with the backend's settings (WAL off; restores use it too). Bloom
    /// filters: after the first checkpoint every new key's first read goes to RocksDB, and
    /// nearly all of them are absent (without filters those reads were ~6 % of a TaskManager's
    /// CPU in a run with checkpoints every 1.5 s, searching each table file).
    static func openDatabase(path: String, createIfMissing: Bool) throws -> RocksDatabase {
        try RocksDatabase.open(path: path, createIfMissing: createIfMissing, parallelism: 1,
                               writeBufferSize: 16 << 20, writeAheadLog: false, bloomFilterBitsPerKey: 10)
    }

    public func value(keyGroup: Int, state: UInt8, key: [UInt8]) throws -> [UInt8]? {
        guard mayHoldValues else { return nil }
        makeKey(keyGroup: keyGroup, state: state, key: key)
        if let written = pending[keyBuffer] { return written }
        if let cached = cache[keyBuffer] { return cached }
        let stored = try database.get(keyBuffer.bytes)
        cache[keyBuffer] = .some(stored)
        trimCacheIfFull()
        return stored
    }

    public func setValue(_ value: [UInt8], keyGroup: Int, state: UInt8, key: [UInt8]) throws {
        makeKey(keyGroup: keyGroup, state: state, key: key)
        try store(value)
    }

    public func removeValue(keyGroup: Int, state: UInt8, key: [UInt8]) throws {
        makeKey(keyGroup: keyGroup, state: state, key: key)
        try store(nil)
    }

    public func registerTimer(keyGroup: Int, timestamp: Int64, key: [UInt8]) throws {
        let timer = TimerKey(timestamp: timestamp, keyGroup: keyGroup, key: key)
        guard liveTimers.insert(timer).inserted else { return }
        timers.insert(timer)
        timerChanges[timer] = true
    }

    public func deleteTimer(keyGroup: Int, timestamp: Int64, key: [UInt8]) throws {
        let timer = TimerKey(timestamp: timestamp, keyGroup: keyGroup, key: key)
        // The heap entry stays until popped; it is skipped because it is no longer live.
        guard liveTimers.remove(timer) != nil else { return }
        timerChanges[timer] = false
    }

    public func popTimers(upTo watermark: Int64) throws -> [(keyGroup: Int, timestamp: Int64, key: [UInt8])] {
        var due: [(keyGroup: Int, timestamp: Int64, key: [UInt8])] = []
        while let next = timers.min, next.timestamp <= watermark {
            timers.removeMin()
            guard liveTimers.remove(next) != nil else { continue }
            timerChanges[next] = false
            due.append((next.keyGroup, next.timestamp, next.key))
        }
        return due
    }

    /// Writes every pending value and timer change to RocksDB in one batch, in key order: a
    /// memtable insert right after its predecessor reuses the skip list's last position, where
    /// hash order made every insert search from the top (RocksDB's write was ~13 % of a
    /// TaskManager's CPU at checkpoints, most of it in that search).
    public func flush() throws {
        guard !pending.isEmpty || !timerChanges.isEmpty else { return }
        var entries: [(key: StateKey, value: [UInt8]?)] = []
        entries.reserveCapacity(pending.count + timerChanges.count)
        for (key, value) in pending { entries.append((key, value)) }
        for (timer, added) in timerChanges { entries.append((StateKey(bytes: Self.timerKey(timer)), added ? [] : nil)) }
        entries.sort { $0.key < $1.key }
        let batch = RocksWriteBatch()
        for entry in entries {
            if let value = entry.value { batch.put(entry.key.bytes, value) } else { batch.delete(entry.key.bytes) }
        }
        try database.write(batch)
        pending.removeAll(keepingCapacity: true)
        timerChanges.removeAll(keepingCapacity: true)
    }

    public var pendingTimers: Int { liveTimers.count }

    /// Entries in the read cache (values and known-absent keys); at most `capacity`.
    public var cachedEntries: Int { cache.count }

    /// Queues `value` (nil = deleted) for the key in `keyBuffer`; `updateValue` keeps a nil
    /// entry instead of removing it, so a deletion is remembered until flushed.
    private func store(_ value: [UInt8]?) throws {
        mayHoldValues = true
        pending.updateValue(value, forKey: keyBuffer)
        if let index = cache.index(forKey: keyBuffer) { cache.values[index] = value }
        if pending.count >= dirtyLimit || timerChanges.count >= dirtyLimit { try flush() }
    }

    /// Bounds the read cache: a job whose writes reach the backend only at checkpoints (the
    /// attribution's state cache syncs there) otherwise cached every key it read since the last
    /// checkpoint, without limit once checkpoints stopped. Pending writes are bounded by
    /// `dirtyLimit` on their own; the hot keys come back on their next read.
    private func trimCacheIfFull() {
        if cache.count > capacity { cache.removeAll(keepingCapacity: true) }
    }

    private func makeKey(keyGroup: Int, state: UInt8, key: [UInt8]) {
        // A fresh buffer of exactly the key's size: the previous one is shared with the cache's
        // keys after most calls (so reusing it would allocate anyway), and the cache must hold
        // right-sized keys — a profile showed ~7.7 KB per cached key with the reused buffer.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(3 + key.count)
        bytes.append(UInt8(truncatingIfNeeded: keyGroup >> 8))
        bytes.append(UInt8(truncatingIfNeeded: keyGroup))
        bytes.append(state)
        bytes.append(contentsOf: key)
        keyBuffer = StateKey(bytes: bytes)
    }

    /// The two bytes every key of `keyGroup` starts with (values and timers): the group's data is
    /// the key range `keyGroupPrefix(g)..<keyGroupPrefix(g + 1)`, which snapshots and rescaling use.
    static func keyGroupPrefix(_ keyGroup: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: keyGroup >> 8), UInt8(truncatingIfNeeded: keyGroup)]
    }

    static func timerKey(_ timer: TimerKey) -> [UInt8] {
        var bytes = keyGroupPrefix(timer.keyGroup)
        bytes.reserveCapacity(11 + timer.key.count)
        bytes.append(timerState)
        // Flipping the sign bit makes big-endian byte order equal numeric order for negatives too.
        let ordered = UInt64(bitPattern: timer.timestamp) ^ (1 << 63)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: ordered >> UInt64(shift))) }
        bytes.append(contentsOf: timer.key)
        return bytes
    }

    private func loadTimers() throws {
        guard !keyGroups.isEmpty else { return }
        for group in keyGroups.start...keyGroups.end {
            let iterator = database.makeIterator(prefix: Self.keyGroupPrefix(group) + [Self.timerState])
            iterator.seekToFirst()
            while iterator.isValid {
                let key = iterator.key
                guard key.count >= 11 else { iterator.next(); continue }
                var ordered: UInt64 = 0
                for byte in key[3..<11] { ordered = ordered << 8 | UInt64(byte) }
                let timer = TimerKey(timestamp: Int64(bitPattern: ordered ^ (1 << 63)), keyGroup: group, key: Array(key[11...]))
                if liveTimers.insert(timer).inserted { timers.insert(timer) }
                iterator.next()
            }
            try iterator.checkError()
        }
    }
}
