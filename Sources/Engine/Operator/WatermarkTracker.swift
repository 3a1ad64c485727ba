/// Bounded-out-of-orderness watermarks over a source's partitions, with idle partitions left out.
///
/// Pure value owned by one source task. A partition's watermark is the highest event time it
/// delivered minus the allowed disorder minus 1 ms (as Flink: a watermark W promises nothing at
/// or before W, so an event exactly at the disorder bound is still on time); the source's watermark is the minimum over the
/// partitions that are active (delivered something within `idleTimeout`), and never goes back.
public struct WatermarkTracker: Sendable {
    private struct Partition {
        var maxEventTime: Int64 = .min
        var lastActivity: Int64
        var finished = false
    }

    public let outOfOrderness: Int64
    public let idleTimeout: Int64
    private var partitions: [Int32: Partition] = [:]
    public private(set) var current: Int64 = .min

    public init(outOfOrderness: Int64, idleTimeout: Int64) {
        self.outOfOrderness = outOfOrderness
        self.idleTimeout = idleTimeout
    }

    public mutating func addPartition(_ id: Int32, now: Int64) {
        partitions[id] = Partition(lastActivity: now)
    }

    public mutating func observe(partition id: Int32, eventTime: Int64, now: Int64) {
        partitions[id, default: Partition(lastActivity: now)].lastActivity = now
        if eventTime > partitions[id]!.maxEventTime { partitions[id]!.maxEventTime = eventTime }
    }

    /// A bounded partition reached its end: it no longer holds the watermark back.
    public mutating func finish(partition id: Int32) {
        partitions[id]?.finished = true
    }

    /// Whether the source has nothing to read: no partition assigned, or every partition that
    /// has not finished was silent for `idleTimeout` (never with `idleTimeout` 0). A source
    /// whose partitions all finished is not idle: its watermark went to the maximum.
    public func isIdle(now: Int64) -> Bool {
        if partitions.isEmpty { return true }
        guard idleTimeout > 0 else { return false }
        var anyOpen = false
        for partition in partitions.values where !partition.finished {
            if now - partition.lastActivity < idleTimeout { return false }
            anyOpen = true
        }
        return anyOpen
    }

    /// The new watermark if it advanced, else nil.
    public mutating func advance(now: Int64) -> Int64? {
        let holding = partitions.values.filter { !$0.finished && (idleTimeout == 0 || now - $0.lastActivity < idleTimeout) }
        let candidate: Int64
        if partitions.values.allSatisfy(\.finished) {
            candidate = .max
        } else if holding.isEmpty {
            return nil  // every open partition is idle: hold, do not jump ahead of data still to come
        } else {
            let minimum = holding.map(\.maxEventTime).min()!
            guard minimum != .min else { return nil }
            candidate = minimum - outOfOrderness - 1
        }
        guard candidate > current else { return nil }
        current = candidate
        return candidate
    }
}
