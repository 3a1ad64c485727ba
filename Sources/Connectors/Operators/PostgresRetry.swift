import SluiceEngine
import Foundation
import Logging
import SluicePostgres

/// Runs a PostgreSQL action, reconnecting and retrying with back-off while the server is
/// unreachable (restart, failover), so a database blip stalls the task instead of failing it.
/// SQL errors (constraint, syntax) are not retried: they fail the task with their SQLSTATE.
struct PostgresRetry {
    var attempts = 8
    var logger: Logger

    func run<T>(_ connection: PostgresConnection, _ what: String, _ action: (PostgresConnection) throws -> T) throws -> T {
        var delay = 0.1
        var attempt = 1
        while true {
            do {
                return try action(connection)
            } catch let error as PostgresError where error.isConnectionError && attempt < attempts {
                logger.warning("PostgreSQL unavailable; reconnecting", metadata: [
                    "action": "\(what)", "retry": "\(attempt)", "error": "\(error)"])
                sleepSeconds(delay)
                delay = min(delay * 2, 5)
                attempt += 1
                try? connection.reconnect()
            }
        }
    }
}

/// Blocks the calling task thread; used only between retries of an unavailable database.
func sleepSeconds(_ seconds: Double) {
    var remaining = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
    var request = remaining
    while nanosleep(&request, &remaining) != 0 { request = remaining }
}
