/// Failures of the test harness itself, with what to do about them.
public enum TestSupportError: Error, CustomStringConvertible {
    case missingExecutable(String)
    case timedOut(String)
    case commandFailed(command: String, status: Int32, output: String)
    case noFreePort(errno: Int32)

    public var description: String {
        switch self {
        case .missingExecutable(let path):
            return "\(path) is not built: run `make test` (it builds all products first) or `swift build`"
        case .timedOut(let what):
            return "timed out waiting for: \(what)"
        case .commandFailed(let command, let status, let output):
            return "`\(command)` exited with \(status):\n\(output)"
        case .noFreePort(let errno):
            return "could not reserve a free TCP port (errno \(errno))"
        }
    }
}
