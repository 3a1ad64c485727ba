/// A failure talking to PostgreSQL: the server's SQLSTATE, message, detail and hint when the
/// server rejected a statement, and always the statement or operation it happened in.
public enum PostgresError: Error, CustomStringConvertible, Sendable {
    /// `PQconnectdb` did not produce a working connection; `target` is the URL, password hidden.
    case connectionFailed(target: String, message: String)
    /// The server rejected `query` with `sqlState` (e.g. `42P01` undefined table).
    case serverError(sqlState: String, message: String, detail: String?, hint: String?, query: String)
    /// The connection broke, or was already broken, during `context`.
    case connectionLost(message: String, context: String)
    /// libpq failed on the client side during `context` (e.g. a COPY row of the wrong width).
    case clientError(message: String, context: String)
    /// The call is not allowed in the connection's current state (e.g. `transaction` while one is open).
    case invalidState(message: String, context: String)

    /// The five-character SQLSTATE the server sent, if it rejected a statement.
    public var sqlState: String? {
        if case .serverError(let sqlState, _, _, _, _) = self { return sqlState }
        return nil
    }

    /// The connection is unusable (or the server is going away): reconnect before retrying.
    /// True for connection failures and losses and for SQLSTATE class 08 and 57P01–57P03.
    public var isConnectionError: Bool {
        switch self {
        case .connectionFailed, .connectionLost:
            return true
        case .serverError(let sqlState, _, _, _, _):
            return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
        case .clientError, .invalidState:
            return false
        }
    }

    public var description: String {
        switch self {
        case .connectionFailed(let target, let message):
            return "cannot connect to PostgreSQL at \(target): \(message)"
        case .serverError(let sqlState, let message, let detail, let hint, let query):
            var text = "PostgreSQL error \(sqlState): \(message)"
            if let detail { text += "; detail: \(detail)" }
            if let hint { text += "; hint: \(hint)" }
            return text + "; in: \(Self.abbreviated(query))"
        case .connectionLost(let message, let context):
            return "PostgreSQL connection lost during \(Self.abbreviated(context)): \(message)"
        case .clientError(let message, let context):
            return "PostgreSQL client error during \(Self.abbreviated(context)): \(message)"
        case .invalidState(let message, let context):
            return "\(Self.abbreviated(context)): \(message)"
        }
    }

    /// The first 200 characters of a statement, enough to recognise it in a log line.
    static func abbreviated(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }

    /// `url` with any password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard let scheme = url.firstRange(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userInfo = url[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
