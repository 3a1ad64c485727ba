/// Decoded per-key state held in memory in front of a `KeyedStateBackend`, with one event-time
/// timer per key derived from the state (Flink's heap backend over our RocksDB backend).
///
/// Owns the decoded values of the keys it has seen since the last eviction, the queue of their
/// timers, and the list of keys changed since the last `sync()`. A record costs one hash lookup
/// and an in-place mutation: nothing is encoded, decoded or written per record. Values reach
/// the backend only in `sync()` — called before a checkpoint's snapshot, at the end of input and
/// when the cache outgrows its byte budget (then it is emptied) — which is exact because keyed
/// state is durable only through checkpoints anyway (the RocksDB WAL is off).
///
/// Invariants:
/// - a key's timer is always `timer(value)`, and it fires once the watermark reaches it: either
///   from this cache's timer queue or, for the timer last written to the backend (`persistedTimer`),
///   from `backend.popTimers`. Firing early or twice is allowed (the callers' logic catches up
///   idempotently), firing late or never is not;
/// - after `sync()` the backend holds every key's value and exactly the timer `timer(value)`,
///   as the old per-record code kept it (restores and rescaling read only the backend).
///
/// Used on the task thread only.
public final class KeyedStateCache<Value: CachedKeyedValue> {
    private struct Slot {
        var value: Value
        var keyGroup: Int
        var timer: Int64?
        /// The timer the backend holds for the key (nil: none, or already popped by it).
        var persistedTimer: Int64?
        /// Whether the backend holds a value for the key.
        var persisted: Bool
        var dirty = false
        var bytes = 0

        /// Runs `body` on the value and brings size and timer up to date, all in place (a copy
        /// of the slot would retain and release the value's storage on every record). Returns the
        /// size change and the timer the cache's queue must fire, if any.
        mutating func apply<Result>(
            _ body: (inout Value) throws -> Result, timer: (Value) -> Int64?
        ) rethrows -> (result: Result, bytesDelta: Int, newQueuedTimer: Int64?) {
            let result = try body(&value)
            let newBytes = value.estimatedBytes
            let delta = newBytes - bytes
            bytes = newBytes
            let newTimer = timer(value)
            guard newTimer != self.timer else { return (result, delta, nil) }
            self.timer = newTimer
            // The backend fires the persisted timer itself; any other one is ours to fire.
            return (result, delta, newTimer == persistedTimer ? nil : newTimer)
        }

        /// Born and emptied in memory: the backend never heard of the key, nothing to write.
        var isForgettable: Bool { value.isEmpty && !persisted && persistedTimer == nil }
    }

    private let backend: any KeyedStateBackend
    private let stateID: UInt8
    private let byteBudget: Int
    private let timer: (Value) -> Int64?
    private var slots: [CacheKey: Slot] = [:]
    private var timers = DueTimerQueue()
    /// Keys changed since the last `sync()`, with their key groups (the order `sync` writes in).
    private var dirtyKeys: [(keyGroup: Int, key: CacheKey)] = []
    private var bytes = 0
    /// Set while `fireDue` walks the timer queue: an eviction then waits for the end of the walk.
    private var firing = false
    private var evictionDue = false

    /// - Parameters:
    ///   - stateID: the state id the values are stored under in the backend.
    ///   - byteBudget: estimated bytes (`Value.estimatedBytes`) above which the cache writes
    ///     everything back and empties itself.
    ///   - timer: the event time at which a key with this value needs a call (nil: none).
    public init(backend: any KeyedStateBackend, stateID: UInt8, byteBudget: Int, timer: @escaping (Value) -> Int64?) {
        self.backend = backend
        self.stateID = stateID
        self.byteBudget = byteBudget
        self.timer = timer
    }

    /// Keys held in memory (for tests and metrics).
    public var cachedKeys: Int { slots.count }

    /// Applies `body` to the key's value (loaded from the backend the first time it is seen)
    /// and moves the key's timer to `timer(value)`.
    public func update<Result>(keyGroup: Int, key: [UInt8], _ body: (inout Value) throws -> Result) throws -> Result {
        let cacheKey = CacheKey(bytes: key)
        let index = try slots.index(forKey: cacheKey) ?? load(cacheKey, keyGroup: keyGroup)
        return try apply(body, at: index, key: cacheKey, keyGroup: keyGroup)
    }

    /// Calls `body` on the value of every key whose timer is at or before `watermark`, at least
    /// once each (an early or repeated call must be harmless), then moves each key's timer as
    /// `update` does. One pass: the timer queue hands over keys and dictionary positions directly,
    /// so a firing costs one lookup and no allocation.
    public func fireDue(upTo watermark: Int64, _ body: (inout Value) throws -> Void) throws {
        firing = true
        defer { firing = false }
        for fired in try backend.popTimers(upTo: watermark) {
            // Loaded now, while `load` can still assume the backend holds the key's timer; the
            // slot then forgets it, so `sync` registers the key's timer again if it keeps one.
            let key = CacheKey(bytes: fired.key)
            let index = try slots.index(forKey: key) ?? load(key, keyGroup: fired.keyGroup)
            slots.values[index].persistedTimer = nil
            try apply(body, at: index, key: key, keyGroup: fired.keyGroup)
        }
        while let due = timers.popBucket(upTo: watermark) {
            for next in due {
                // Stale entries (the key's timer moved since) are skipped.
                guard let index = slots.index(forKey: next.key), slots.values[index].timer == next.timestamp else { continue }
                try apply(body, at: index, key: next.key, keyGroup: next.keyGroup)
            }
        }
        if evictionDue { try evictAll() }
    }

    private func apply<Result>(
        _ body: (inout Value) throws -> Result, at index: Dictionary<CacheKey, Slot>.Index, key: CacheKey, keyGroup: Int
    ) throws -> Result {
        let (result, delta, newQueuedTimer) = try slots.values[index].apply(body, timer: timer)
        bytes += delta
        if let newQueuedTimer { timers.insert(DueTimer(timestamp: newQueuedTimer, keyGroup: keyGroup, key: key)) }
        if slots.values[index].isForgettable {
            bytes -= slots.values[index].bytes
            slots.remove(at: index)
        } else {
            markDirty(index, key, keyGroup: keyGroup)
        }
        if bytes > byteBudget {
            // Evicting empties the timer queue `fireDue` is walking: it evicts when done instead.
            if firing { evictionDue = true } else { try evictAll() }
        }
        return result
    }

    /// Writes every changed value (or its deletion) and timer move to the backend. The backend
    /// may still buffer them: callers that need them in RocksDB call `backend.flush()` after.
    ///
    /// Writes in key order (key group, then key bytes: RocksDB's order), so the backend's
    /// batches arrive one after the other and its memtable appends instead of searching.
    public func sync() throws {
        dirtyKeys.sort { $0.keyGroup != $1.keyGroup ? $0.keyGroup < $1.keyGroup : $0.key.precedesInByteOrder($1.key) }
        for (_, key) in dirtyKeys {
            guard let index = slots.index(forKey: key), slots.values[index].dirty else { continue }
            let slot = slots.values[index]
            if slot.value.isEmpty {
                if slot.persisted { try backend.removeValue(keyGroup: slot.keyGroup, state: stateID, key: key.bytes) }
            } else {
                try backend.setValue(slot.value.encoded(), keyGroup: slot.keyGroup, state: stateID, key: key.bytes)
            }
            if slot.timer != slot.persistedTimer {
                if let old = slot.persistedTimer { try backend.deleteTimer(keyGroup: slot.keyGroup, timestamp: old, key: key.bytes) }
                if let new = slot.timer { try backend.registerTimer(keyGroup: slot.keyGroup, timestamp: new, key: key.bytes) }
            }
            if slot.value.isEmpty {
                bytes -= slot.bytes
                slots.remove(at: index)
            } else {
                slots.values[index].persisted = true
                slots.values[index].persistedTimer = slot.timer
                slots.values[index].dirty = false
            }
        }
        dirtyKeys.removeAll(keepingCapacity: true)
    }

    private func markDirty(_ index: Dictionary<CacheKey, Slot>.Index, _ key: CacheKey, keyGroup: Int) {
        guard !slots.values[index].dirty else { return }
        slots.values[index].dirty = true
        dirtyKeys.append((keyGroup, key))
    }

    /// Writes everything back and forgets it: every key's timer is then in the backend, which
    /// fires it; the keys come back from RocksDB when next used.
    private func evictAll() throws {
        evictionDue = false
        try sync()
        slots.removeAll(keepingCapacity: true)
        timers.removeAll()
        bytes = 0
    }

    private func load(_ key: CacheKey, keyGroup: Int) throws -> Dictionary<CacheKey, Slot>.Index {
        let stored = try backend.value(keyGroup: keyGroup, state: stateID, key: key.bytes)
        let value = try stored.map { try Value(decoding: $0) } ?? Value()
        // What the backend holds was written with its timer (see the invariants).
        let persistedTimer = stored == nil ? nil : timer(value)
        let slot = Slot(value: value, keyGroup: keyGroup, timer: persistedTimer, persistedTimer: persistedTimer,
                        persisted: stored != nil, bytes: value.estimatedBytes)
        bytes += slot.bytes
        slots[key] = slot
        guard let index = slots.index(forKey: key) else { throw KeyedStateCacheError.lostEntry }
        return index
    }
}
