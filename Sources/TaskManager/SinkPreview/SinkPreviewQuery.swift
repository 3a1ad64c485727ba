import Logging
import SluicePostgres
import SluiceProtocol

/// Answers the JobManager's `SinkPreviewRequest`: the newest rows of a sink table, read with the
/// TaskManager's own connectors (the JobManager links no database client).
///
/// Blocking (libpq): run it off the connection's event loop. Each answer opens its own
/// connection with a 2 s connect timeout and a 1 s `statement_timeout`, and closes it; a
/// failure is an answer with `error` set, never a thrown error. The JobManager caches answers,
/// so this runs about once a second per previewed table at most.
enum SinkPreviewQuery {
    /// `defaultURL`: the TaskManager's `postgres.url(-file)`, used unless the request names the sink's own.
    static func answer(_ request: _ProtoSinkPreviewRequest, defaultURL: String?, logger: Logger) -> _ProtoSinkPreviewReply {
        var reply = _ProtoSinkPreviewReply()
        reply.requestID = request.requestID
        guard let url = request.postgresURL.isEmpty ? defaultURL : request.postgresURL else {
            reply.error = "no PostgreSQL URL: set the sink's params.postgres, or postgres.url / postgres.url-file in the TaskManager's config"
            return reply
        }
        do {
            let connection = try PostgresConnection.connect(url: withConnectTimeout(url), logger: logger)
            _ = try connection.simpleQuery("SET statement_timeout = 1000")
            let order = request.orderBy.isEmpty ? "" : " ORDER BY \(PostgresConnection.quoteIdentifier(request.orderBy)) DESC"
            let limit = max(1, min(Int(request.limit), 100))
            let result = try connection.execute("SELECT * FROM \(PostgresConnection.quoteQualifiedName(request.table))\(order) LIMIT \(limit)")
            reply.columns = result.columns
            reply.rows = (0..<result.rowCount).map { row in
                var values = _ProtoSinkPreviewRow()
                for column in 0..<result.columnCount {
                    let isNull = result.isNull(row: row, column: column)
                    values.nulls.append(isNull)
                    values.values.append(isNull ? "" : result.value(row: row, column: column) ?? "")
                }
                return values
            }
        } catch {
            logger.debug("cannot read the sink preview", metadata: ["table": "\(request.table)", "error": "\(error)"])
            reply.error = "cannot read \(request.table): \(error)"
        }
        return reply
    }

    /// Adds `connect_timeout=2` unless the URL sets one: an unreachable database must not hold a request for long.
    static func withConnectTimeout(_ url: String) -> String {
        guard !url.contains("connect_timeout") else { return url }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return url + (url.contains("?") ? "&" : "?") + "connect_timeout=2"
        }
        return url + " connect_timeout=2"
    }
}
