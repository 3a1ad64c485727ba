/// The completed checkpoints a job keeps, oldest first; adding one subsumes the oldest beyond
/// `retained`.
///
/// A pure value (no I/O): the coordinator deletes what `add` returns. Invariants: ids are
/// unique and ascending; at most `max(retained, 1)` checkpoints are kept, so the latest one
/// always survives.
struct CompletedCheckpointStore: Sendable {
    let retained: Int
    private(set) var checkpoints: [CompletedCheckpoint] = []

    init(retained: Int) {
        self.retained = max(retained, 1)
    }

    var latest: CompletedCheckpoint? { checkpoints.last }

    /// Adds `checkpoint` in id order and returns the checkpoints it subsumed (possibly itself,
    /// when older than every retained one). Adding a known id changes nothing.
    mutating func add(_ checkpoint: CompletedCheckpoint) -> [CompletedCheckpoint] {
        guard !checkpoints.contains(where: { $0.id == checkpoint.id }) else { return [] }
        let index = checkpoints.firstIndex { $0.id > checkpoint.id } ?? checkpoints.endIndex
        checkpoints.insert(checkpoint, at: index)
        let excess = checkpoints.count - retained
        guard excess > 0 else { return [] }
        let subsumed = Array(checkpoints.prefix(excess))
        checkpoints.removeFirst(excess)
        return subsumed
    }
}
