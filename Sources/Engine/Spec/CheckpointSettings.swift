/// How a job takes checkpoints (the `checkpoints` section of a job spec).
///
/// `interval == 0` disables checkpointing; exactly-once sinks then refuse to run.
public struct CheckpointSettings: Sendable, Equatable {
    public var intervalMillis: Int64
    public var timeoutMillis: Int64
    /// Minimum time between the end of one checkpoint and the trigger of the next.
    public var minPauseMillis: Int64
    public var maxConcurrent: Int
    /// Completed checkpoints kept; older ones are subsumed and their files deleted.
    public var retained: Int
    /// Checkpoints that may expire or be declined in a row before the job fails over with the
    /// cause (Flink's tolerable failed checkpoints): a job that cannot checkpoint never stays
    /// RUNNING with nothing committed.
    public var tolerableFailures: Int

    public init(intervalMillis: Int64 = 5_000, timeoutMillis: Int64 = 60_000, minPauseMillis: Int64 = 0,
                maxConcurrent: Int = 1, retained: Int = 3, tolerableFailures: Int = 3) {
        self.intervalMillis = intervalMillis
        self.timeoutMillis = timeoutMillis
        self.minPauseMillis = minPauseMillis
        self.maxConcurrent = maxConcurrent
        self.retained = retained
        self.tolerableFailures = tolerableFailures
    }

    public var isEnabled: Bool { intervalMillis > 0 }
}
