/// Why a request to a job (stop, cancel) could not be carried out; the text says what to do.
public enum JobMasterError: Error, CustomStringConvertible {
    case taskManagerGone(String)
    case checkpointingDisabled
    case notRunning(JobStatus)
    case finalCheckpointFailed(String)
    /// The final checkpoint of `stop --drain` failed after the sources emitted the final watermark.
    case drainFailed(String)

    public var description: String {
        switch self {
        case .taskManagerGone(let id): return "TaskManager \(id) is no longer registered"
        case .checkpointingDisabled:
            return "the job takes no checkpoints, so it cannot be stopped with one; set checkpoints.interval-ms in its spec, or cancel it"
        case .notRunning(let status):
            return status.isTerminal ? "the job is already \(status.rawValue); there is nothing to stop" : "the job is \(status.rawValue), not RUNNING; try again once it runs"
        case .finalCheckpointFailed(let why): return "the final checkpoint failed (\(why)); the job keeps running"
        case .drainFailed(let why):
            return "the final checkpoint of the drain failed (\(why)); the sources had already emitted the final watermark, "
                + "so the job restarts from its latest checkpoint (see sluice status)"
        }
    }
}
