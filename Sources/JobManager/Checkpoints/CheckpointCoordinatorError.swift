/// Why a stop-with-checkpoint (`CheckpointCoordinator.triggerFinal`) did not produce a checkpoint.
public enum CheckpointCoordinatorError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No attempt of the job is running (not started yet, or stopped).
    case notRunning
    /// The job's checkpoint interval is 0.
    case checkpointingDisabled
    /// A stop-with-checkpoint is already under way.
    case finalAlreadyRequested
    /// The final checkpoint was triggered and then aborted (declined, timed out, undeliverable).
    case aborted(checkpointID: UInt64, reason: String)
    /// The coordinator was stopped (failover, cancel) before the final checkpoint completed.
    case stopped(reason: String)

    public var description: String {
        switch self {
        case .notRunning:
            return "the job has no running attempt; wait until it is RUNNING before stopping it with a checkpoint"
        case .checkpointingDisabled:
            return "checkpointing is disabled for this job (checkpoints.interval is 0); cancel it instead, or enable checkpoints"
        case .finalAlreadyRequested:
            return "a stop-with-checkpoint is already in progress for this job; wait for it to finish"
        case .aborted(let id, let reason):
            return "final checkpoint \(id) was aborted: \(reason); the job keeps running, try the stop again"
        case .stopped(let reason):
            return "checkpointing stopped before the final checkpoint completed: \(reason)"
        }
    }
}
