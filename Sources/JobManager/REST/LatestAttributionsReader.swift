import Dispatch
import Foundation
import Logging
import SluiceCatalog
import SluiceCore
import SluiceEngine
import SluicePostgres
import Synchronization

/// Reads the newest rows of a job's `postgres-sink` table for the web UI's attribution panel.
///
/// Thread-safe. libpq blocks, so each query runs on a Dispatch global queue, never on the
/// REST server's event loop; it connects with a 2 s connect timeout and a 1 s
/// `statement_timeout`. Results (failures too) are cached per table for `cacheFor`, so many
/// open browsers cause at most about one query per second. The sink's URL is resolved as the
/// sink operator does: its `params.postgres`, else the cluster's `postgres.url(-file)`.
final class LatestAttributionsReader: Sendable {
    static let columns = ["checkout_id", "user_id", "product_id", "checkout_time", "click_id", "click_time", "user_name", "total_amount"]

    private let connectors: SluiceConfig.Connectors?
    private let cacheFor: Duration
    private let limit: Int
    private let logger: Logger
    private let cache = Mutex<[String: (at: ContinuousClock.Instant, value: LatestAttributions)]>([:])

    init(connectors: SluiceConfig.Connectors?, logger: Logger, cacheFor: Duration = .seconds(1), limit: Int = 10) {
        self.connectors = connectors
        self.logger = logger
        self.cacheFor = cacheFor
        self.limit = limit
    }

    func latest(of spec: JobSpec) async -> LatestAttributions {
        guard let sink = spec.vertices.first(where: { $0.kind == PostgresSinkKind.declaration.name }) else {
            return .failed("the job has no postgres-sink, so there are no attributed rows to show")
        }
        let table = sink.params["table"] ?? PostgresSinkKind.defaultTable
        guard let url = sink.params["postgres"] ?? connectors?.resolvedPostgresURL() else {
            return .failed("no PostgreSQL URL: set the sink's params.postgres, or postgres.url / postgres.url-file in the JobManager's config",
                           table: table)
        }
        let key = "\(url)|\(table)"
        if let cached = cache.withLock({ $0[key] }), ContinuousClock.now - cached.at < cacheFor { return cached.value }
        let value = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in continuation.resume(returning: query(url: url, table: table)) }
        }
        cache.withLock { $0[key] = (.now, value) }
        return value
    }

    /// Blocking: connects, reads the newest rows, disconnects.
    private func query(url: String, table: String) -> LatestAttributions {
        do {
            let connection = try PostgresConnection.connect(url: Self.withConnectTimeout(url), logger: logger)
            _ = try connection.simpleQuery("SET statement_timeout = 1000")
            let columns = Self.columns.map(PostgresConnection.quoteIdentifier).joined(separator: ", ")
            let result = try connection.execute(
                "SELECT \(columns) FROM \(PostgresConnection.quoteQualifiedName(table)) ORDER BY attributed_at DESC LIMIT \(limit)")
            let rows = (0..<result.rowCount).map { row in
                Dictionary(uniqueKeysWithValues: result.columns.enumerated().map { column, name in
                    (name, result.isNull(row: row, column: column) ? nil : result.value(row: row, column: column))
                })
            }
            return LatestAttributions(rows: rows, error: nil, table: table)
        } catch {
            logger.debug("cannot read the latest attributed rows", metadata: ["table": "\(table)", "error": "\(error)"])
            return .failed("cannot read \(table): \(error)", table: table)
        }
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
