/// A contiguous, inclusive range of key groups owned by one parallel subtask.
///
/// Keyed state is stored and snapshotted per key group, so a job can resume at another
/// parallelism by handing each new subtask a different range of the same groups.
public struct KeyGroupRange: Sendable, Hashable, CustomStringConvertible {
    public let start: Int
    public let end: Int

    public init(start: Int, end: Int) {
        precondition(start >= 0 && end >= start - 1, "invalid key-group range \(start)...\(end)")
        self.start = start
        self.end = end
    }

    public var count: Int { end - start + 1 }
    public var isEmpty: Bool { end < start }
    public func contains(_ keyGroup: Int) -> Bool { keyGroup >= start && keyGroup <= end }

    public var description: String { isEmpty ? "[]" : "[\(start)..\(end)]" }

    /// The range of subtask `index` of `parallelism`, splitting `maxParallelism` groups as evenly as
    /// possible (the same rule Flink uses, so operators keep the same key → subtask mapping).
    public static func forSubtask(_ index: Int, parallelism: Int, maxParallelism: Int) -> KeyGroupRange {
        precondition(parallelism > 0 && parallelism <= maxParallelism && (0..<parallelism).contains(index))
        let start = (index * maxParallelism + parallelism - 1) / parallelism
        let end = ((index + 1) * maxParallelism - 1) / parallelism
        return KeyGroupRange(start: start, end: end)
    }
}
