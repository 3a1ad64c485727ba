/// What `CheckpointCoordinatorState` decided and `CheckpointCoordinator` must carry out.
///
/// Plain values, computed under the coordinator's lock and performed outside it.
enum CheckpointDecision {
    /// Send `TriggerCheckpoint` once to each TaskManager hosting a source task of the attempt.
    struct Trigger: Sendable, Equatable {
        var checkpointID: UInt64
        var attempt: UInt32
        var timestamp: Int64
        var isFinal: Bool
        /// A final checkpoint of `stop --drain`: sources emit the maximum watermark before the barrier.
        var drain = false
        var sourceTaskManagers: [String]
    }

    /// Tell the attempt's TaskManagers, delete `chk-<n>`, count a failure.
    struct Abort: Sendable {
        var checkpointID: UInt64
        var attempt: UInt32
        var taskManagers: [String]
        var reason: String
        var isFinal: Bool
        var stats: CheckpointStats
        /// This failure (an expiry or a decline) made more in a row than `tolerable-failures`:
        /// the job must fail over with `reason` as the cause.
        var exceedsTolerance = false
    }

    /// Discard what was subsumed, report the checkpoint, notify the attempt's TaskManagers.
    struct Completion: Sendable {
        var checkpoint: CompletedCheckpoint
        var attempt: UInt32
        var taskManagers: [String]
        var subsumed: [CompletedCheckpoint]
        /// Still-pending older checkpoints, aborted because this one subsumes them.
        var abortedOlder: [Abort]
        /// The checkpoints kept after this completion (shared files they reference survive).
        var retained: [CheckpointMetadata]
        var isLatest: Bool
        var stats: CheckpointStats
    }

    /// The outcome of one acknowledgement.
    enum Acknowledgement {
        case ignored(reason: String)
        case recorded
        case complete(PendingCheckpoint)
    }

    /// Checkpoints that timed out, and possibly a new one to trigger.
    struct Tick: Sendable {
        var expired: [Abort] = []
        var trigger: Trigger?
    }
}
