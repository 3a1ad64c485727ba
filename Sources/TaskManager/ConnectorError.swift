/// Why a TaskManager's session with the JobManager ended; it then reconnects with back-off.
public enum ConnectorError: Error, CustomStringConvertible {
    case registrationRefused(String)
    case unexpectedMessage(String)
    case heartbeatTimeout(Duration)
    case disconnected(String)

    public var description: String {
        switch self {
        case .registrationRefused(let why): return "JobManager refused the registration: \(why)"
        case .unexpectedMessage(let what): return "unexpected message from the JobManager: \(what)"
        case .heartbeatTimeout(let silence): return "no heartbeat reply from the JobManager for \(silence)"
        case .disconnected(let reason): return "JobManager closed the session: \(reason)"
        }
    }
}
