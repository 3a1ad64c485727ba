/// A job reached a state from which the awaited one can no longer follow (FAILED, CANCELED, or
/// FINISHED while a test still needed it running). Ends the wait at once, with the job's cause.
public struct JobEndedError: EndsWaiting, CustomStringConvertible {
    public var progress: JobProgress
    public var expected: String

    public var description: String {
        "job \(progress.id) is \(progress.state) (attempt \(progress.attempt), \(progress.numRestarts) restarts) while waiting for "
            + "\(expected)\(progress.failureCause.map { "; failure cause: \($0)" } ?? ""); see the process logs below "
            + "(a run that finished too early needs more events or a lower max-records-per-second)"
    }
}
