import HeapModule

/// The event-time timers `KeyedStateCache` fires itself, grouped by timestamp.
///
/// Why not one binary heap of timers: the cache holds a timer per key (a few hundred thousand),
/// most of them click purges rounded to a few dozen distinct times. A heap pays ~log2(n) cache
/// misses per pop and per insert over all of them (11 % of the attribution task's CPU). Here an
/// insert is one hash lookup and an append, and only the distinct timestamps are in a heap —
/// small, because checkout timers are few at a time (they come due one watermark lag after
/// arriving) and purge timers share their rounded times.
///
/// Invariants: every inserted timer is handed out exactly once by `popBucket(upTo:)`, buckets in
/// increasing timestamp order, timers of one timestamp in insertion order; `timestamps` holds
/// each key of `buckets` once. Entries may be stale (the key's timer moved since): the caller
/// checks when it pops them, as before. Used on the task thread only.
struct DueTimerQueue {
    private var timestamps = Heap<Int64>()
    private var buckets: [Int64: [DueTimer]] = [:]

    var isEmpty: Bool { buckets.isEmpty }

    mutating func insert(_ timer: DueTimer) {
        if buckets[timer.timestamp]?.append(timer) == nil {
            buckets[timer.timestamp] = [timer]
            timestamps.insert(timer.timestamp)
        }
    }

    /// Removes and returns every timer of the earliest timestamp if that is at or before
    /// `watermark`. Timers inserted while the caller walks the result go to a new bucket, which
    /// a later call returns (even for the same timestamp).
    mutating func popBucket(upTo watermark: Int64) -> [DueTimer]? {
        guard let earliest = timestamps.min, earliest <= watermark else { return nil }
        timestamps.removeMin()
        return buckets.removeValue(forKey: earliest)
    }

    mutating func removeAll() {
        timestamps = Heap()
        buckets.removeAll()
    }
}

/// An entry of the cache's timer queue; stale once the key's timer moved (checked when popped).
struct DueTimer {
    var timestamp: Int64
    var keyGroup: Int
    var key: CacheKey
}
