/// One failure of a job, for `GET /jobs/:id/exceptions`: a task's, or the checkpoint
/// coordinator's (`task` nil) when checkpoints kept failing.
public struct JobException: Sendable, Equatable {
    public var timestamp: Int64
    public var task: TaskKey?
    public var attempt: UInt32
    /// The TaskManager the task ran on, when known.
    public var taskManager: String?
    public var cause: String
    /// The task failed only because a neighbour did (its data channel's peer went away).
    public var followOn = false

    /// How REST names where it happened.
    public var source: String { task.map { "\($0)" } ?? "(checkpoint coordinator)" }
}
