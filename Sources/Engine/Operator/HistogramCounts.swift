/// Observations counted into fixed buckets, in the shape of a Prometheus histogram: per-bucket
/// counts (upper bounds ascending, plus the implicit `+Inf` bucket), their sum and their count.
///
/// A plain value with no locking and no allocation per observation, so a thread can fill one
/// for a whole batch (a sink epoch) and hand it over once; whoever publishes it (the TaskManager's
/// metrics) adds batches together under its own lock. Invariants: `bucketCounts.count ==
/// upperBounds.count + 1`; `count` is the sum of `bucketCounts`; NaN observations are ignored.
public struct HistogramCounts: Sendable, Equatable {
    public let upperBounds: [Double]
    /// Observations per bucket, not cumulative: index i counts values in (bound[i−1], bound[i]];
    /// the last index counts values above every bound.
    public private(set) var bucketCounts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    /// `upperBounds` must be ascending (what Prometheus calls `le`).
    public init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        bucketCounts = Array(repeating: 0, count: upperBounds.count + 1)
    }

    /// Counts `value` in the first bucket whose bound is ≥ it (Prometheus' `le` semantics).
    public mutating func observe(_ value: Double, times: UInt64 = 1) {
        guard !value.isNaN, times > 0 else { return }
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if upperBounds[middle] >= value { high = middle } else { low = middle + 1 }
        }
        bucketCounts[low] += times
        sum += value * Double(times)
        count += times
    }

    /// Adds `other`'s observations (same bounds; one with other bounds is ignored, so a mismatch
    /// can never corrupt the counts).
    public mutating func add(_ other: HistogramCounts) {
        guard other.upperBounds == upperBounds else { return }
        for index in bucketCounts.indices { bucketCounts[index] += other.bucketCounts[index] }
        sum += other.sum
        count += other.count
    }

    /// What was observed since `earlier` (a previous copy of this histogram). If `earlier` is
    /// not a previous state of it (more observations, other bounds), everything counts as new.
    public func subtracting(_ earlier: HistogramCounts) -> HistogramCounts {
        guard earlier.upperBounds == upperBounds, earlier.count <= count,
              zip(bucketCounts, earlier.bucketCounts).allSatisfy({ $0 >= $1 }) else { return self }
        var delta = self
        for index in bucketCounts.indices { delta.bucketCounts[index] = bucketCounts[index] - earlier.bucketCounts[index] }
        delta.sum = sum - earlier.sum
        delta.count = count - earlier.count
        return delta
    }

    /// Counts of values ≤ each bound, then the total (Prometheus' cumulative `_bucket` series).
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return bucketCounts.map { running += $0; return running }
    }
}
