import SluiceEngine

extension KeyGroupRange {
    /// The key groups in both ranges; nil when they share none.
    func intersection(_ other: KeyGroupRange) -> KeyGroupRange? {
        let start = Swift.max(self.start, other.start)
        let end = Swift.min(self.end, other.end)
        return start <= end ? KeyGroupRange(start: start, end: end) : nil
    }
}
