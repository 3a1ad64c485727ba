/// One task failure of a job, for `GET /jobs/:id/exceptions`.
public struct JobException: Sendable, Equatable {
    public var timestamp: Int64
    public var task: TaskKey
    public var attempt: UInt32
    /// The TaskManager the task ran on, when known.
    public var taskManager: String?
    public var cause: String
}
