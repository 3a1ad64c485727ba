import SluiceCore

/// A change of cluster membership, as decided by `MembershipTable`; one log line each.
public enum MembershipEvent: Sendable, Equatable {
    case joined(TaskManagerInfo)
    /// A TaskManager that was lost (or is still registered on an older connection) registered again.
    case rejoined(TaskManagerInfo)
    case lost(id: String, cause: LossCause)

    public enum LossCause: Sendable, Equatable, CustomStringConvertible {
        case heartbeatTimeout(silence: Duration)
        case connectionClosed
        case deregistered(reason: String)

        public var description: String {
            switch self {
            case .heartbeatTimeout(let silence):
                return "no heartbeat for \(silence.milliseconds) ms"
            case .connectionClosed: return "connection closed"
            case .deregistered(let reason): return "deregistered: \(reason)"
            }
        }
    }
}
