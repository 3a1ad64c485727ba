/// Keeps the counts, summaries and recent history of a job's checkpoints as they change.
///
/// A pure value owned by `CheckpointCoordinatorState` (so it changes under the coordinator's
/// lock). Invariants: `history` is newest first and never longer than `historySize`;
/// `counts.inProgress` equals the checkpoints triggered and not yet ended.
struct CheckpointStatsTracker: Sendable {
    static let historySize = 10

    private(set) var snapshot = CheckpointStatsSnapshot()

    mutating func triggered(_ pending: PendingCheckpoint) {
        snapshot.counts.total += 1
        snapshot.counts.inProgress += 1
        let stats = Self.fresh(pending)
        snapshot.history.insert(stats, at: 0)
        if snapshot.history.count > Self.historySize { snapshot.history.removeLast() }
    }

    mutating func acknowledged(_ pending: PendingCheckpoint) {
        update(pending.id) { stats in
            stats.latestAckTimestamp = pending.latestAckTimestamp
            stats.stateSize = pending.stateSize
            stats.uploadedSize = pending.uploadedSize
            stats.alignmentDuration = pending.alignmentMillis
            stats.numAcknowledgedSubtasks = pending.acknowledged.count
        }
    }

    mutating func completed(_ pending: PendingCheckpoint, externalPath: String) -> CheckpointStats {
        snapshot.counts.inProgress -= 1
        snapshot.counts.completed += 1
        var stats = entry(pending)
        stats.status = .completed
        stats.latestAckTimestamp = pending.latestAckTimestamp
        stats.stateSize = pending.stateSize
        stats.uploadedSize = pending.uploadedSize
        stats.alignmentDuration = pending.alignmentMillis
        stats.numAcknowledgedSubtasks = pending.acknowledged.count
        stats.externalPath = externalPath
        store(stats)
        snapshot.stateSize.add(Int64(clamping: stats.stateSize))
        snapshot.uploadedSize.add(Int64(clamping: stats.uploadedSize))
        snapshot.endToEndDuration.add(stats.endToEndDuration)
        if stats.id >= snapshot.latestCompleted?.id ?? 0 { snapshot.latestCompleted = stats }
        return stats
    }

    mutating func failed(_ pending: PendingCheckpoint, reason: String, at now: Int64) -> CheckpointStats {
        snapshot.counts.inProgress -= 1
        snapshot.counts.failed += 1
        var stats = entry(pending)
        stats.status = .failed
        stats.failureTimestamp = now
        stats.failureMessage = reason
        store(stats)
        snapshot.latestFailed = stats
        return stats
    }

    mutating func discarded(_ checkpointID: UInt64) {
        update(checkpointID) { $0.discarded = true }
        if snapshot.latestCompleted?.id == checkpointID { snapshot.latestCompleted?.discarded = true }
    }

    mutating func restored(_ checkpoint: CompletedCheckpoint, at now: Int64) {
        snapshot.counts.restored += 1
        snapshot.latestRestored = .init(id: checkpoint.id, restoreTimestamp: now, externalPath: checkpoint.externalPath)
    }

    /// The history entry of `pending`, or a fresh one if it already left the history.
    private func entry(_ pending: PendingCheckpoint) -> CheckpointStats {
        snapshot.history.first { $0.id == pending.id } ?? Self.fresh(pending)
    }

    private static func fresh(_ pending: PendingCheckpoint) -> CheckpointStats {
        CheckpointStats(id: pending.id, status: .inProgress, isFinal: pending.isFinal, triggerTimestamp: pending.triggerTimestamp,
                        latestAckTimestamp: pending.latestAckTimestamp, stateSize: pending.stateSize,
                        numSubtasks: pending.tasks.count, numAcknowledgedSubtasks: pending.acknowledged.count,
                        externalPath: nil, discarded: false, failureTimestamp: nil, failureMessage: nil)
    }

    private mutating func store(_ stats: CheckpointStats) {
        update(stats.id) { $0 = stats }
    }

    private mutating func update(_ id: UInt64, _ change: (inout CheckpointStats) -> Void) {
        guard let index = snapshot.history.firstIndex(where: { $0.id == id }) else { return }
        change(&snapshot.history[index])
    }
}
