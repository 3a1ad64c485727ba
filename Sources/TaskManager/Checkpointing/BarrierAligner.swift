/// Which input channels of a task may be consumed while checkpoint barriers align.
///
/// Pure state, owned by the task thread. Aligned barriers (DESIGN.md §5): once barrier n
/// arrived on a channel, that channel is blocked — its later events wait — until n arrived on
/// every channel that has not ended; then the task snapshots and every channel opens again.
/// Invariants: at most one checkpoint aligns at a time; a barrier older than the newest seen is
/// stale (its checkpoint was superseded) and ignored; a newer barrier while aligning supersedes
/// the pending one (some producer skipped it, so it can never complete here).
struct BarrierAligner {
    enum Decision: Equatable {
        /// Keep waiting; the channel the barrier came on is now blocked.
        case wait
        /// Every open channel delivered barrier `id`: snapshot now; all channels are unblocked.
        case aligned(UInt64)
        /// The barrier belongs to a checkpoint this task already passed or gave up.
        case stale
    }

    private var openChannels: Set<Int>
    private(set) var pending: UInt64?
    private var arrived: Set<Int> = []
    private var newest: UInt64 = 0
    /// When the first barrier of the pending checkpoint arrived (alignment duration).
    private(set) var startedAt: ContinuousClock.Instant?

    init(channels: some Sequence<Int>) {
        openChannels = Set(channels)
    }

    func isBlocked(_ channel: Int) -> Bool { pending != nil && arrived.contains(channel) }

    /// Barrier `id` arrived on `channel`.
    mutating func barrier(_ id: UInt64, on channel: Int, now: ContinuousClock.Instant = .now) -> Decision {
        guard id > newest || (id == pending && !arrived.contains(channel)) else { return .stale }
        if id > newest {
            // A newer checkpoint: start aligning it (superseding any pending one).
            newest = id
            pending = id
            arrived = []
            startedAt = now
        }
        arrived.insert(channel)
        return completeIfAligned()
    }

    /// `channel` delivered end-of-partition: it no longer takes part in alignment.
    mutating func channelEnded(_ channel: Int) -> Decision {
        openChannels.remove(channel)
        arrived.remove(channel)
        guard pending != nil else { return .wait }
        return completeIfAligned()
    }

    private mutating func completeIfAligned() -> Decision {
        guard let id = pending, openChannels.isSubset(of: arrived) else { return .wait }
        pending = nil
        arrived = []
        return .aligned(id)
    }
}
