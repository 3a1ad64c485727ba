import Dispatch
import Foundation
import Logging
import SluiceCore
import SluiceEngine
import SluicePostgres
import Synchronization

/// Reads the newest rows of a job's sink tables for the web UI's sink preview: for every sink
/// whose kind declares a preview (`OperatorKindDeclaration.preview`), the table and the column
/// to order by come from the declaration, not from knowledge of any job.
///
/// Thread-safe. libpq blocks, so each query runs on a Dispatch global queue, never on the
/// REST server's event loop; it connects with a 2 s connect timeout and a 1 s
/// `statement_timeout`. Results (failures too) are cached per table for `cacheFor`, so many
/// open browsers cause at most about one query per second. The URL is the sink's own
/// `params.postgres`, else the cluster's `postgres.url(-file)`.
final class SinkPreviewReader: Sendable {
    private let catalog: KindCatalog
    private let connectors: SluiceConfig.Connectors?
    private let cacheFor: Duration
    private let limit: Int
    private let logger: Logger
    private let cache = Mutex<[String: (at: ContinuousClock.Instant, value: SinkPreviewTable)]>([:])

    init(catalog: KindCatalog, connectors: SluiceConfig.Connectors?, logger: Logger, cacheFor: Duration = .seconds(1), limit: Int = 10) {
        self.catalog = catalog
        self.connectors = connectors
        self.logger = logger
        self.cacheFor = cacheFor
        self.limit = limit
    }

    /// One preview per previewable sink of `spec`, in spec order (empty when it has none).
    func previews(of spec: JobSpec) async -> [SinkPreviewTable] {
        var tables: [SinkPreviewTable] = []
        for vertex in spec.vertices {
            guard let rule = catalog[vertex.kind]?.preview,
                  let target = rule(.init(id: vertex.id, inputs: vertex.inputSchemas, params: vertex.params, keyBy: vertex.keyBy)) else { continue }
            tables.append(await preview(vertex: vertex.id, target))
        }
        return tables
    }

    private func preview(vertex: String, _ target: OperatorKindDeclaration.PreviewTarget) async -> SinkPreviewTable {
        guard let url = target.postgresURL ?? connectors?.resolvedPostgresURL() else {
            return .failed("no PostgreSQL URL: set the sink's params.postgres, or postgres.url / postgres.url-file in the JobManager's config",
                           vertex: vertex, table: target.table, orderBy: target.orderBy)
        }
        let key = "\(url)|\(target.table)|\(target.orderBy ?? "")"
        if let cached = cache.withLock({ $0[key] }), ContinuousClock.now - cached.at < cacheFor { return cached.value }
        let value = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in continuation.resume(returning: query(url: url, vertex: vertex, target)) }
        }
        cache.withLock { $0[key] = (.now, value) }
        return value
    }

    /// Blocking: connects, reads the newest rows, disconnects.
    private func query(url: String, vertex: String, _ target: OperatorKindDeclaration.PreviewTarget) -> SinkPreviewTable {
        do {
            let connection = try PostgresConnection.connect(url: Self.withConnectTimeout(url), logger: logger)
            _ = try connection.simpleQuery("SET statement_timeout = 1000")
            let order = target.orderBy.map { " ORDER BY \(PostgresConnection.quoteIdentifier($0)) DESC" } ?? ""
            let result = try connection.execute("SELECT * FROM \(PostgresConnection.quoteQualifiedName(target.table))\(order) LIMIT \(limit)")
            let rows = (0..<result.rowCount).map { row in
                (0..<result.columnCount).map { column in result.isNull(row: row, column: column) ? nil : result.value(row: row, column: column) }
            }
            return SinkPreviewTable(vertex: vertex, table: target.table, orderBy: target.orderBy, columns: result.columns, rows: rows, error: nil)
        } catch {
            logger.debug("cannot read the sink preview", metadata: ["table": "\(target.table)", "error": "\(error)"])
            return .failed("cannot read \(target.table): \(error)", vertex: vertex, table: target.table, orderBy: target.orderBy)
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
