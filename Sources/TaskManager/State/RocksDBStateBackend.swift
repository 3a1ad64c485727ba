import HeapModule
import SluiceOperators
import SluiceRocksDB

/// Keyed state and timers of one subtask in its own RocksDB instance.
///
/// Owns the database. Layout (DESIGN.md §5): values under `[key group u16 BE][state id][key]`,
/// timers under `[key group u16 BE][0xFF][timestamp, sign-flipped BE][key]`, so a key group's
/// data is one contiguous range (snapshots and rescaling work per key group). Timers are also
/// kept in an in-memory heap, rebuilt from RocksDB on open, so firing them needs no scans.
/// Used on the owning task's thread only.
public final class RocksDBStateBackend: KeyedStateBackend {
    static let timerState: UInt8 = 0xFF

    public let database: RocksDatabase
    public let keyGroups: KeyGroupRange
    private var timers = Heap<TimerKey>()
    private var liveTimers = Set<TimerKey>()
    private var keyBuffer: [UInt8] = []

    public init(path: String, keyGroups: KeyGroupRange) throws {
        database = try RocksDatabase.open(path: path, createIfMissing: true, parallelism: 1)
        self.keyGroups = keyGroups
        try loadTimers()
    }

    public func value(keyGroup: Int, state: UInt8, key: [UInt8]) throws -> [UInt8]? {
        makeKey(keyGroup: keyGroup, state: state, key: key)
        return try database.get(keyBuffer)
    }

    public func setValue(_ value: [UInt8], keyGroup: Int, state: UInt8, key: [UInt8]) throws {
        makeKey(keyGroup: keyGroup, state: state, key: key)
        try database.put(keyBuffer, value)
    }

    public func removeValue(keyGroup: Int, state: UInt8, key: [UInt8]) throws {
        makeKey(keyGroup: keyGroup, state: state, key: key)
        try database.delete(keyBuffer)
    }

    public func registerTimer(keyGroup: Int, timestamp: Int64, key: [UInt8]) throws {
        let timer = TimerKey(timestamp: timestamp, keyGroup: keyGroup, key: key)
        guard liveTimers.insert(timer).inserted else { return }
        timers.insert(timer)
        try database.put(Self.timerKey(timer), [])
    }

    public func deleteTimer(keyGroup: Int, timestamp: Int64, key: [UInt8]) throws {
        let timer = TimerKey(timestamp: timestamp, keyGroup: keyGroup, key: key)
        // The heap entry stays until popped; it is skipped because it is no longer live.
        guard liveTimers.remove(timer) != nil else { return }
        try database.delete(Self.timerKey(timer))
    }

    public func popTimers(upTo watermark: Int64) throws -> [(keyGroup: Int, timestamp: Int64, key: [UInt8])] {
        var due: [(keyGroup: Int, timestamp: Int64, key: [UInt8])] = []
        while let next = timers.min, next.timestamp <= watermark {
            timers.removeMin()
            guard liveTimers.remove(next) != nil else { continue }
            try database.delete(Self.timerKey(next))
            due.append((next.keyGroup, next.timestamp, next.key))
        }
        return due
    }

    public var pendingTimers: Int { liveTimers.count }

    private func makeKey(keyGroup: Int, state: UInt8, key: [UInt8]) {
        keyBuffer.removeAll(keepingCapacity: true)
        keyBuffer.append(UInt8(truncatingIfNeeded: keyGroup >> 8))
        keyBuffer.append(UInt8(truncatingIfNeeded: keyGroup))
        keyBuffer.append(state)
        keyBuffer.append(contentsOf: key)
    }

    static func timerKey(_ timer: TimerKey) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(truncatingIfNeeded: timer.keyGroup >> 8), UInt8(truncatingIfNeeded: timer.keyGroup), timerState]
        // Flipping the sign bit makes big-endian byte order equal numeric order for negatives too.
        let ordered = UInt64(bitPattern: timer.timestamp) ^ (1 << 63)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: ordered >> UInt64(shift))) }
        bytes.append(contentsOf: timer.key)
        return bytes
    }

    private func loadTimers() throws {
        guard !keyGroups.isEmpty else { return }
        for group in keyGroups.start...keyGroups.end {
            let prefix: [UInt8] = [UInt8(truncatingIfNeeded: group >> 8), UInt8(truncatingIfNeeded: group), Self.timerState]
            let iterator = database.makeIterator(prefix: prefix)
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
