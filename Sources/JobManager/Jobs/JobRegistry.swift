import Foundation
import Logging
import SluiceCatalog
import SluiceEngine
import SluiceProtocol
import Synchronization

/// All jobs of this JobManager, by id; the entry point for submissions and for task reports.
///
/// Thread-safe. Routes TaskManager reports and checkpoint acks to the right `JobMaster`, tells
/// every job when a TaskManager is lost, cancels leftover tasks of superseded attempts, and on
/// start takes back the jobs recorded in the HA directory.
public final class JobRegistry: Sendable {
    private let jobs = Mutex<[String: JobMaster]>([:])
    private let services: JobMaster.Services
    private let logger: Logger

    public init(services: JobMaster.Services, logger: Logger) {
        self.services = services
        self.logger = logger
        services.membership.onLost { [weak self] id in self?.taskManagerLost(id) }
    }

    /// Validates and starts a job; returns it. Throws `JobSpecError` for a bad spec and
    /// `CheckpointStorageError` for an unreadable checkpoint. With `fromCheckpoint`, the job
    /// resumes that checkpoint's pipeline (same lineage, a higher attempt) and an empty `yaml`
    /// means "the spec stored in the checkpoint".
    ///
    /// A spec whose name matches a job that has not ended is refused with
    /// `JobRegistryError.duplicateName` unless `allowDuplicate` is set: two copies of one
    /// pipeline write the same sink rows and read the same topics, which is almost always a
    /// mistake (a second `make run`, a resubmitted spec). The check and the insertion happen
    /// under one lock, so two concurrent submissions cannot both pass it.
    public func submit(yaml: String, parallelism: Int? = nil, fromCheckpoint: String? = nil,
                       allowDuplicate: Bool = false) throws -> JobMaster {
        var restore: CompletedCheckpoint?
        if let fromCheckpoint { restore = try CheckpointStorage.loadCompleted(path: fromCheckpoint) }
        let text = yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? (restore?.metadata.jobSpecYAML ?? yaml) : yaml
        let spec = try JobSpecParser.parse(yaml: text, catalog: BuiltInKinds.catalog, parallelismOverride: parallelism)
        let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let job = try jobs.withLock { jobs -> JobMaster in
            if !allowDuplicate, let active = jobs.values.first(where: { $0.spec.name == spec.name && !$0.status.isTerminal }) {
                throw JobRegistryError.duplicateName(spec.name, activeJobID: active.id, state: active.status)
            }
            let job = try JobMaster(id: id, spec: spec, services: services, logger: logger, lineage: restore?.metadata.lineage,
                                    attempt: (restore?.metadata.attempt ?? 0) + 1, restore: restore.map(RestorePoint.init))
            jobs[id] = job
            return job
        }
        var metadata: Logger.Metadata = ["job": "\(id)", "name": "\(spec.name)", "parallelism": "\(spec.parallelism)"]
        if let restore { metadata["from-checkpoint"] = "\(restore.externalPath)" }
        logger.info("job submitted", metadata: metadata)
        Task { await job.start() }
        return job
    }

    /// Takes back the jobs a previous JobManager process left running (DESIGN.md §6): each
    /// resumes from its latest completed checkpoint as a new attempt once slots are free.
    public func recover() {
        guard let store = services.highAvailability else { return }
        for record in store.load() {
            do {
                let spec = try JobSpecParser.parse(yaml: record.specYAML, catalog: BuiltInKinds.catalog, parallelismOverride: record.parallelism)
                let restore = try record.latestCheckpoint.map { try RestorePoint(CheckpointStorage.loadCompleted(path: $0)) }
                let job = try JobMaster(id: record.id, spec: spec, services: services, logger: logger, lineage: record.lineage,
                                        attempt: record.attempt + 1, restore: restore, submittedAt: record.submittedAt)
                jobs.withLock { $0[record.id] = job }
                logger.info("recovered job from the HA directory", metadata: [
                    "job": "\(record.id)", "name": "\(record.name)", "attempt": "\(record.attempt + 1)",
                    "checkpoint": "\(record.latestCheckpoint ?? "none")"])
                Task { await job.start() }
            } catch {
                logger.error("cannot recover job; its HA record is kept for inspection",
                             metadata: ["job": "\(record.id)", "error": "\(error)"])
            }
        }
    }

    public func job(_ id: String) -> JobMaster? { jobs.withLock { $0[id] } }

    public func all() -> [JobMaster] {
        jobs.withLock { Array($0.values) }.sorted { $0.snapshot().startTime > $1.snapshot().startTime }
    }

    public func counts() -> JobCounts {
        var counts = JobCounts()
        for job in jobs.withLock({ Array($0.values) }) {
            switch job.status {
            case .finished: counts.finished += 1
            case .canceled: counts.cancelled += 1
            case .failed: counts.failed += 1
            default: counts.running += 1
            }
        }
        return counts
    }

    public func taskStateChanged(_ message: _ProtoTaskStateChanged) {
        job(message.task.jobID)?.taskStateChanged(message)
    }

    public func acknowledge(_ message: _ProtoAcknowledgeCheckpoint) async {
        await job(message.task.jobID)?.acknowledge(message)
    }

    public func decline(_ message: _ProtoDeclineCheckpoint) async {
        await job(message.task.jobID)?.decline(message)
    }

    /// Task counters from a heartbeat. Running tasks of an older attempt (a TaskManager that was
    /// cut off during a failover) or of an unknown job are cancelled.
    public func heartbeat(_ tasks: [_ProtoTaskStatus], from taskManager: String) {
        for status in tasks {
            let current = job(status.task.jobID)?.update(status) ?? false
            guard !current, status.state == .running || status.state == .deploying else { continue }
            var cancel = _ProtoCancelTask()
            cancel.task = status.task
            cancel.reason = "superseded: the job runs a newer attempt or is unknown to this JobManager"
            Task { try? await services.membership.connection(to: taskManager)?.send(.with(.cancelTask(cancel))) }
        }
    }

    private func taskManagerLost(_ id: String) {
        for job in jobs.withLock({ Array($0.values) }) { job.taskManagerLost(id) }
    }
}
