import SluiceProtocol

extension _ProtoExecutionState {
    /// Flink's upper-case task state names, used in REST `status` fields.
    public var restName: String {
        switch self {
        case .created: "CREATED"
        case .scheduled: "SCHEDULED"
        case .deploying: "DEPLOYING"
        case .initializing: "INITIALIZING"
        case .running: "RUNNING"
        case .finished: "FINISHED"
        case .canceling: "CANCELING"
        case .canceled: "CANCELED"
        case .failed: "FAILED"
        default: "RECONCILING"
        }
    }

    public var isTerminal: Bool { self == .finished || self == .canceled || self == .failed }

    /// Every state Flink counts in a job's `tasks` object (lower-case keys).
    public static let restStates: [_ProtoExecutionState] = [.created, .scheduled, .deploying, .initializing, .running,
                                                            .finished, .canceling, .canceled, .failed]
}
