import Logging
import SluiceEngine
import SluiceProtocol
import Synchronization

/// Reads the newest rows of a job's sink tables for the web UI's sink preview: for every sink
/// whose kind declares a preview (`OperatorKindDeclaration.preview`), the table and the column
/// to order by come from the declaration, not from knowledge of any job.
///
/// The JobManager links no database client: a TaskManager reads the rows with its own
/// connectors (`SinkPreviewRequest`), preferably one running the job (its URL is the sink's).
/// Thread-safe. Answers (failures too) are cached per table for `cacheFor`, so many open
/// browsers cause at most about one query per second.
final class SinkPreviewReader: Sendable {
    /// Asks TaskManager `id` for a preview; nil when it cannot be reached or did not answer in time.
    typealias Ask = @Sendable (_ taskManager: String, _ request: _ProtoSinkPreviewRequest) async -> _ProtoSinkPreviewReply?

    private let catalog: KindCatalog
    private let ask: Ask
    /// The registered TaskManagers, any of which can answer.
    private let taskManagers: @Sendable () -> [String]
    private let cacheFor: Duration
    private let limit: Int
    private let cache = Mutex<[String: (at: ContinuousClock.Instant, value: SinkPreviewTable)]>([:])

    init(catalog: KindCatalog, ask: @escaping Ask, taskManagers: @escaping @Sendable () -> [String],
         cacheFor: Duration = .seconds(1), limit: Int = 10) {
        self.catalog = catalog
        self.ask = ask
        self.taskManagers = taskManagers
        self.cacheFor = cacheFor
        self.limit = limit
    }

    /// The real wiring: requests over the TaskManagers' control connections, 3 s to answer.
    convenience init(catalog: KindCatalog, membership: Membership) {
        self.init(catalog: catalog, ask: { taskManager, request in
            guard let connection = membership.connection(to: taskManager) else { return nil }
            return await membership.sinkPreviews.ask(request, via: connection, timeout: .seconds(3))
        }, taskManagers: { membership.snapshot().members.map(\.info.id) })
    }

    /// One preview per previewable sink of `job`, in spec order (empty when it has none).
    func previews(of job: JobMaster.Snapshot) async -> [SinkPreviewTable] {
        let running = Set(job.executions.values.compactMap(\.taskManager))
        let candidates = taskManagers().sorted { running.contains($0) && !running.contains($1) }
        var tables: [SinkPreviewTable] = []
        for vertex in job.spec.vertices {
            guard let rule = catalog[vertex.kind]?.preview,
                  let target = rule(.init(id: vertex.id, inputs: vertex.inputSchemas, params: vertex.params, keyBy: vertex.keyBy)) else { continue }
            tables.append(await preview(vertex: vertex.id, target, candidates: candidates))
        }
        return tables
    }

    private func preview(vertex: String, _ target: OperatorKindDeclaration.PreviewTarget, candidates: [String]) async -> SinkPreviewTable {
        let key = "\(target.postgresURL ?? "")|\(target.table)|\(target.orderBy ?? "")"
        if let cached = cache.withLock({ $0[key] }), ContinuousClock.now - cached.at < cacheFor { return cached.value }
        var request = _ProtoSinkPreviewRequest()
        request.table = target.table
        request.orderBy = target.orderBy ?? ""
        request.limit = UInt32(limit)
        request.postgresURL = target.postgresURL ?? ""
        var value = SinkPreviewTable.failed("no TaskManager is registered to read \(target.table) (the JobManager has no database client)",
                                            vertex: vertex, table: target.table, orderBy: target.orderBy)
        // The first that answers; one that cannot be reached or is too slow is skipped.
        for taskManager in candidates.prefix(2) {
            guard let reply = await ask(taskManager, request) else {
                value = .failed("TaskManager \(taskManager) did not answer the preview of \(target.table) in time",
                                vertex: vertex, table: target.table, orderBy: target.orderBy)
                continue
            }
            value = Self.table(reply, vertex: vertex, target)
            break
        }
        cache.withLock { $0[key] = (.now, value) }
        return value
    }

    static func table(_ reply: _ProtoSinkPreviewReply, vertex: String, _ target: OperatorKindDeclaration.PreviewTarget) -> SinkPreviewTable {
        guard reply.error.isEmpty else { return .failed(reply.error, vertex: vertex, table: target.table, orderBy: target.orderBy) }
        let rows = reply.rows.map { row in
            row.values.indices.map { index in index < row.nulls.count && row.nulls[index] ? nil : row.values[index] }
        }
        return SinkPreviewTable(vertex: vertex, table: target.table, orderBy: target.orderBy, columns: reply.columns, rows: rows, error: nil)
    }
}
