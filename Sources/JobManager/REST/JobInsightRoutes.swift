import Hummingbird

/// Routes the web UI reads besides Flink's: a vertex's back-pressure
/// (`GET /jobs/:id/vertices/:vid/backpressure`) and the sink preview with the operator counters
/// (`GET /jobs/:id/sink-preview`).
///
/// `lookup` returns a job's snapshot by id (nil = 404); `previews` reads the newest sink rows
/// (the JobManager wires `SinkPreviewReader`; tests pass a stub).
struct JobInsightRoutes<Context: RequestContext> {
    let lookup: @Sendable (String) -> JobMaster.Snapshot?
    let previews: @Sendable (JobMaster.Snapshot) async -> [SinkPreviewTable]

    func register(on router: Router<Context>) {
        router.get("/jobs/:id/vertices/:vid/backpressure") { _, context in
            let job = try snapshot(context)
            let vertex = try context.parameters.require("vid")
            guard let chain = job.graph.chains.first(where: { $0.id == vertex }) else {
                throw RESTError(.notFound, "Vertex \(vertex) is not part of job \(job.id); GET /jobs/\(job.id) lists its vertices")
            }
            let executions = (0..<chain.parallelism).map { job.executions[TaskKey(vertex: chain.id, subtask: $0)] ?? Execution() }
            return BackPressureResponse(executions, now: JobMaster.now())
        }
        router.get("/jobs/:id/sink-preview") { _, context in
            let job = try snapshot(context)
            return SinkPreviewResponse(operatorCounters: VertexMetrics.summed(job.executions.values.map(\.operatorCounters)),
                                       previews: await previews(job))
        }
    }

    private func snapshot(_ context: Context) throws -> JobMaster.Snapshot {
        let id = try context.parameters.require("id")
        guard let job = lookup(id) else { throw RESTError.jobNotFound(id) }
        return job
    }
}
