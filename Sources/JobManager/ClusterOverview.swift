/// Counts shown by `/overview` and by the RPC `ClusterStatus`; one source for both.
public struct ClusterOverview: Sendable, Equatable {
    public var taskManagers: Int
    public var slotsTotal: Int
    public var slotsAvailable: Int
    public var jobs: JobCounts

    public init(membership: Membership.Snapshot, jobs: JobCounts) {
        taskManagers = membership.members.count
        slotsTotal = membership.slotsTotal
        slotsAvailable = membership.slotsAvailable
        self.jobs = jobs
    }
}

/// Jobs per terminal/non-terminal state, as Flink's `/overview` reports them.
public struct JobCounts: Sendable, Equatable {
    public var running = 0
    public var finished = 0
    public var cancelled = 0
    public var failed = 0

    public init(running: Int = 0, finished: Int = 0, cancelled: Int = 0, failed: Int = 0) {
        self.running = running
        self.finished = finished
        self.cancelled = cancelled
        self.failed = failed
    }
}
