import Foundation
import Hummingbird
import NIOCore
import SluiceEngine

/// Routes about jobs: submit (`POST /jobs`, YAML body, `?parallelism=N`, `?fromCheckpoint=PATH`,
/// `?allow-duplicate=true`; 409 when a job of the same name is active),
/// list, overview, details, cancel (`PATCH /jobs/:id?mode=cancel`, as Flink) and
/// stop-with-checkpoint (`POST /jobs/:id/stop`, answered once the final checkpoint completed;
/// `{"drain": true}` as Flink, or `?drain=true`, drains the job first).
struct JobRoutes<Context: RequestContext> {
    let jobs: JobRegistry
    /// The body limit of a submission: the spec reader's own size limit (larger bodies get 413).
    static var maxSpecBytes: Int { SpecDocumentLimits.standard.maxBytes }
    /// How long a submission may take to be checked before the client gets an answer.
    static var checkDeadline: Duration { .seconds(2) }

    func register(on router: Router<Context>) {
        router.post("/jobs") { request, _ -> EditedResponse<SubmitResponse> in
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: Self.maxSpecBytes)
            } catch is NIOTooManyBytesError {
                throw RESTError(.contentTooLarge, "the body is over \(Self.maxSpecBytes) bytes, the limit for a job spec (a spec is a few KB)")
            }
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
            let allowDuplicate = try Self.flag("allow-duplicate", in: request)
            do {
                let job = try await SubmissionQueue.run(deadline: Self.checkDeadline) { [jobs, parallelism] in
                    try jobs.submit(yaml: yaml, parallelism: parallelism, fromCheckpoint: fromCheckpoint, allowDuplicate: allowDuplicate)
                }
                return EditedResponse(status: .accepted, response: SubmitResponse(jobid: job.id))
            } catch let error as JobRegistryError {
                throw RESTError(.conflict, "\(error)")
            } catch let error as JobSpecError {
                throw RESTError(.badRequest, "invalid job spec: \(error)")
            } catch let error as CheckpointStorageError {
                throw RESTError(.badRequest, "fromCheckpoint: \(error)")
            } catch let error as SubmissionQueue.Timeout {
                throw RESTError(.serviceUnavailable, "\(error)")
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
        router.post("/jobs/:id/stop") { request, context -> StopResponse in
            let job = try job(context)
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: 4096)
            } catch is NIOTooManyBytesError {
                throw RESTError(.contentTooLarge, "the body is over 4096 bytes, the limit for a stop request ({\"drain\": true})")
            }
            let drain = try Self.flag("drain", in: request) || Self.drainRequested(body: String(buffer: body))
            do throws(JobMasterError) {
                let completed = try await job.stop(drain: drain)
                return StopResponse(checkpointID: completed.id, path: completed.externalPath, drained: drain)
            } catch {
                switch error {
                case .checkpointingDisabled, .notRunning, .taskManagerGone:
                    throw RESTError(.conflict, "cannot stop job \(job.id): \(error)")
                case .finalCheckpointFailed, .drainFailed:
                    throw RESTError(.internalServerError, "cannot stop job \(job.id): \(error)")
                }
            }
        }
    }

    /// A boolean query parameter: absent or `false` is false, `true` or present without a value is true.
    private static func flag(_ name: String, in request: Request) throws -> Bool {
        switch request.uri.queryParameters[Substring(name)].map(String.init) {
        case nil, "false": return false
        case "true", "": return true
        case let other?: throw RESTError(.badRequest, "\(name): must be true or false, got '\(other)'")
        }
    }

    /// Flink's stop request body: `{"drain": true}` (other members, e.g. `targetDirectory`, are not supported).
    private static func drainRequested(body: String) throws -> Bool {
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return false }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] else {
            throw RESTError(.badRequest, "the stop request body must be a JSON object such as {\"drain\": true}, or empty")
        }
        if let unknown = object.keys.first(where: { $0 != "drain" }) {
            throw RESTError(.badRequest, "\(unknown): not supported by this JobManager; the stop request takes only \"drain\"")
        }
        guard let drain = object["drain"] else { return false }
        guard let value = drain as? Bool else { throw RESTError(.badRequest, "drain: must be true or false") }
        return value
    }

    private func job(_ context: Context) throws -> JobMaster {
        let id = try context.parameters.require("id")
        guard let job = jobs.job(id) else {
            throw RESTError.jobNotFound(id)
        }
        return job
    }
}
