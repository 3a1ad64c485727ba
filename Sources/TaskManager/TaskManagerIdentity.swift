/// Who this TaskManager is, as it tells the JobManager when it registers.
public struct TaskManagerIdentity: Sendable {
    /// Stable for the life of the process; a restarted process registers under a new id.
    public var id: String
    /// The address other TaskManagers reach the data port on.
    public var host: String
    public var dataPort: Int
    /// The port of the Prometheus `/metrics` endpoint.
    public var metricsPort: Int
    public var slots: Int
    public var pid: Int
    public var startedAtEpochMillis: Int64

    public init(id: String, host: String, dataPort: Int, metricsPort: Int = 0, slots: Int, pid: Int, startedAtEpochMillis: Int64) {
        self.id = id
        self.host = host
        self.dataPort = dataPort
        self.metricsPort = metricsPort
        self.slots = slots
        self.pid = pid
        self.startedAtEpochMillis = startedAtEpochMillis
    }
}
