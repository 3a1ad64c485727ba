/// One registered event-time timer, ordered by time, then key group, then key.
struct TimerKey: Hashable, Comparable {
    var timestamp: Int64
    var keyGroup: Int
    var key: [UInt8]

    func hash(into hasher: inout Hasher) {
        hasher.combine(timestamp)
        hasher.combine(keyGroup)
        key.withUnsafeBytes { hasher.combine(bytes: $0) }  // not per element: see StateKey
    }

    static func < (lhs: TimerKey, rhs: TimerKey) -> Bool {
        if lhs.timestamp != rhs.timestamp { return lhs.timestamp < rhs.timestamp }
        if lhs.keyGroup != rhs.keyGroup { return lhs.keyGroup < rhs.keyGroup }
        return lhs.key.lexicographicallyPrecedes(rhs.key)
    }
}
