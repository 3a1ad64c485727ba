import Hummingbird

/// `GET /jobs/:id/checkpoints`: the job's checkpoint statistics in Flink's shape.
///
/// `lookup` returns the statistics of a job by id, nil for an unknown job (404 in the usual
/// JSON error shape). The JobManager wires it to the job's `CheckpointCoordinator.stats()`.
struct CheckpointRoutes<Context: RequestContext> {
    let lookup: @Sendable (String) -> CheckpointStatsSnapshot?

    func register(on router: Router<Context>) {
        router.get("/jobs/:id/checkpoints") { _, context in
            let id = try context.parameters.require("id")
            guard let snapshot = lookup(id) else {
                throw RESTError.jobNotFound(id)
            }
            return CheckpointingStatisticsResponse(snapshot)
        }
    }
}
