/// One registered event-time timer, ordered by time, then key group, then key.
struct TimerKey: Hashable, Comparable {
    var timestamp: Int64
    var keyGroup: Int
    var key: [UInt8]

    static func < (lhs: TimerKey, rhs: TimerKey) -> Bool {
        if lhs.timestamp != rhs.timestamp { return lhs.timestamp < rhs.timestamp }
        if lhs.keyGroup != rhs.keyGroup { return lhs.keyGroup < rhs.keyGroup }
        return lhs.key.lexicographicallyPrecedes(rhs.key)
    }
}
