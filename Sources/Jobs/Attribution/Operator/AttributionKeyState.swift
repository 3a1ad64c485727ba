import SluiceEngine
/// The attribution state of one key (user, product): what the runtime keeps in RocksDB between
/// calls of `FirstClickAttribution`, serialised with `AttributionStateCodec`.
///
/// Holds only what a future output can depend on:
/// - `clicks`: id and time of every click that may still be the earliest in-window click of a
///   checkout that is not final yet (or not even arrived), sorted by time then click id (byte
///   order), exact duplicates (same id and time) stored once;
/// - `pending`: the checkouts received and not final yet, sorted by checkout time then checkout
///   id, each with the best click known so far (in eager mode: the attribution last emitted).
///
/// A plain value: no locks, no identity; the runtime loads it, hands it to one call on the task
/// thread, and stores it back (or deletes it when `isEmpty`).
public struct AttributionKeyState: Sendable, Hashable {
    /// The part of a click attribution needs. With a UUID click id (`EventID`) it holds no
    /// reference, so the click arrays of ~10^5 keys cost no reference counting and no `free`
    /// per expired click.
    public struct StoredClick: Sendable, Hashable {
        public var clickID: EventID
        public var time: Int64

        public init(clickID: EventID, time: Int64) {
            self.clickID = clickID
            self.time = time
        }

        /// The attribution order: earlier time first, ties broken by the smaller click id in
        /// UTF-8 byte order (what `ORDER BY click_id COLLATE "C"` does), never by locale rules.
        public func precedes(_ other: StoredClick) -> Bool {
            if time != other.time { return time < other.time }
            return clickID < other.clickID
        }
    }

    public internal(set) var clicks: [StoredClick]
    /// Rows waiting to become final; `userName` is nil (enrichment comes later in the pipeline).
    public internal(set) var pending: [AttributedCheckout]

    public init() {
        clicks = []
        pending = []
    }

    /// A state holding `clicks` and `pending`, brought into canonical order (sorted, exact
    /// duplicate clicks removed) whatever order they come in.
    public init(clicks: [StoredClick], pending: [AttributedCheckout]) {
        self.clicks = Self.canonical(clicks)
        self.pending = pending.sorted(by: Self.pendingOrder)
    }

    /// Nothing left for this key: the runtime deletes its state (and its timer).
    public var isEmpty: Bool { clicks.isEmpty && pending.isEmpty }

    // MARK: - Operations used by FirstClickAttribution

    /// Adds `click` in order; false if an identical click (same id and time) is already stored.
    mutating func insert(_ click: StoredClick) -> Bool {
        let index = firstClickIndex { !$0.precedes(click) }
        // Time first: it decides nearly always, and an id kept as text is a likely cache miss.
        if index < clicks.count, clicks[index].time == click.time, clicks[index].clickID == click.clickID { return false }
        clicks.insert(click, at: index)
        return true
    }

    /// The earliest stored click in `[checkoutTime - window, checkoutTime]` (ties: smaller id).
    func earliestClick(forCheckoutAt checkoutTime: Int64, windowMillis: Int64) -> StoredClick? {
        let windowStart = checkoutTime.saturatingAdd(-windowMillis)
        let index = firstClickIndex { $0.time >= windowStart }
        guard index < clicks.count, clicks[index].time <= checkoutTime else { return nil }
        return clicks[index]
    }

    mutating func insertPending(_ row: AttributedCheckout) {
        let index = pending.firstIndex { !Self.pendingOrder($0, row) } ?? pending.endIndex
        pending.insert(row, at: index)
    }

    /// Removes and returns the pending rows whose checkout time satisfies `isFinal` (a prefix,
    /// because `pending` is sorted by checkout time).
    mutating func removeFinal(where isFinal: (Int64) -> Bool) -> [AttributedCheckout] {
        let count = pending.prefix { isFinal($0.checkout.eventTime) }.count
        guard count > 0 else { return [] }
        let final = Array(pending[..<count])
        pending.removeFirst(count)
        return final
    }

    /// Drops the clicks whose time satisfies `isExpired` (a prefix: `clicks` is sorted by time).
    mutating func removeExpiredClicks(where isExpired: (Int64) -> Bool) {
        let count = clicks.prefix { isExpired($0.time) }.count
        if count > 0 { clicks.removeFirst(count) }
    }

    /// Index of the first click for which `predicate` holds; `predicate` must be false for a
    /// prefix of `clicks` and true for the rest (binary search).
    private func firstClickIndex(where predicate: (StoredClick) -> Bool) -> Int {
        var low = 0
        var high = clicks.count
        while low < high {
            let middle = (low + high) / 2
            if predicate(clicks[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    static func pendingOrder(_ lhs: AttributedCheckout, _ rhs: AttributedCheckout) -> Bool {
        if lhs.checkout.eventTime != rhs.checkout.eventTime { return lhs.checkout.eventTime < rhs.checkout.eventTime }
        return lhs.checkout.withCheckoutID { left in rhs.checkout.withCheckoutID { left.lexicographicallyPrecedes($0) } }
    }

    private static func canonical(_ clicks: [StoredClick]) -> [StoredClick] {
        var sorted = clicks.sorted { $0.precedes($1) }
        var write = 0
        for read in sorted.indices where write == 0 || sorted[read] != sorted[write - 1] {
            sorted[write] = sorted[read]
            write += 1
        }
        sorted.removeLast(sorted.count - write)
        return sorted
    }
}
