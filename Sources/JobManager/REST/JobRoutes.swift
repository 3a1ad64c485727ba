import Foundation
import Hummingbird
import SluiceEngine

/// Routes about jobs: submit (`POST /jobs`, YAML body, `?parallelism=N`, `?fromCheckpoint=PATH`,
/// `?allow-duplicate=true`; 409 when a job of the same name is active),
/// list, overview, details, cancel (`PATCH /jobs/:id?mode=cancel`, as Flink) and
/// stop-with-checkpoint (`POST /jobs/:id/stop`, answered once the final checkpoint completed).
struct JobRoutes<Context: RequestContext> {
    let jobs: JobRegistry
    static var maxSpecBytes: Int { 1 << 20 }

    func register(on router: Router<Context>) {
        router.post("/jobs") { request, _ -> EditedResponse<SubmitResponse> in
            let body = try await request.body.collect(upTo: Self.maxSpecBytes)
            let yaml = String(buffer: body)
            let fromCheckpoint = request.uri.queryParameters["fromCheckpoint"].map(String.init)
            guard fromCheckpoint != nil || !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw RESTError(.badRequest, "the request body must be a job spec in YAML (see jobs/checkout-attribution.yaml)")
            }
            var parallelism: Int?
            if let text = request.uri.queryParameters["parallelism"] {
                guard let value = Int(String(text)), value > 0 else {
                    throw RESTError(.badRequest, "parallelism: must be a positive integer, got '\(text)'")
                }
                parallelism = value
            }
            let allowDuplicate: Bool
            switch request.uri.queryParameters["allow-duplicate"].map(String.init) {
            case nil, "false": allowDuplicate = false
            case "true", "": allowDuplicate = true
            case let other?: throw RESTError(.badRequest, "allow-duplicate: must be true or false, got '\(other)'")
            }
            do {
                let job = try jobs.submit(yaml: yaml, parallelism: parallelism, fromCheckpoint: fromCheckpoint,
                                          allowDuplicate: allowDuplicate)
                return EditedResponse(status: .accepted, response: SubmitResponse(jobid: job.id))
            } catch let error as JobRegistryError {
                throw RESTError(.conflict, "\(error)")
            } catch let error as JobSpecError {
                throw RESTError(.badRequest, "invalid job spec: \(error)")
            } catch let error as CheckpointStorageError {
                throw RESTError(.badRequest, "fromCheckpoint: \(error)")
            }
        }
        router.get("/jobs") { _, _ in
            JobsListResponse(jobs: jobs.all().map { .init(id: $0.id, status: $0.status.rawValue) })
        }
        router.get("/jobs/overview") { _, _ in
            let now = JobMaster.now()
            return JobsOverviewResponse(jobs: jobs.all().map { JobOverview($0.snapshot(), now: now) })
        }
        router.get("/jobs/:id") { _, context in
            JobDetails(try job(context).snapshot(), now: JobMaster.now())
        }
        router.get("/jobs/:id/exceptions") { _, context in
            JobExceptionsResponse(try job(context).snapshot())
        }
        router.patch("/jobs/:id") { request, context -> EditedResponse<EmptyResponse> in
            let job = try job(context)
            let mode = request.uri.queryParameters["mode"].map(String.init) ?? "cancel"
            guard mode == "cancel" else {
                throw RESTError(.badRequest, "mode: only 'cancel' is supported, got '\(mode)'")
            }
            let status = job.status
            guard !status.isTerminal else {
                throw RESTError(.conflict, "job \(job.id) is \(status.rawValue); there is nothing to cancel")
            }
            Task { await job.cancel() }
            return EditedResponse(status: .accepted, response: EmptyResponse())
        }
        router.post("/jobs/:id/stop") { _, context -> StopResponse in
            let job = try job(context)
            do {
                let completed = try await job.stop()
                return StopResponse(checkpointID: completed.id, path: completed.externalPath)
            } catch let error as JobMasterError {
                throw RESTError(.conflict, "cannot stop job \(job.id): \(error)")
            } catch {
                throw RESTError(.internalServerError, "the final checkpoint of job \(job.id) failed: \(error); the job keeps running")
            }
        }
    }

    private func job(_ context: Context) throws -> JobMaster {
        let id = try context.parameters.require("id")
        guard let job = jobs.job(id) else {
            throw RESTError.jobNotFound(id)
        }
        return job
    }
}
