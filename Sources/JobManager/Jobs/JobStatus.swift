/// A job's state, with Flink's names (REST clients compare these strings).
public enum JobStatus: String, Sendable, Codable, CaseIterable {
    case created = "CREATED"
    case running = "RUNNING"
    case failing = "FAILING"
    case failed = "FAILED"
    case cancelling = "CANCELLING"
    case canceled = "CANCELED"
    case finished = "FINISHED"
    /// Failed over: the attempt's tasks are being cancelled, then redeployed from the latest checkpoint.
    case restarting = "RESTARTING"

    public var isTerminal: Bool { self == .failed || self == .canceled || self == .finished }
}
