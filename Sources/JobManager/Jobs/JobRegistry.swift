import Foundation
import Logging
import SluiceOperators
import SluiceProtocol
import Synchronization

/// All jobs of this JobManager, by id; the entry point for submissions and for task reports.
///
/// Thread-safe. Routes TaskManager reports to the right `JobMaster` and tells every job when a
/// TaskManager is lost.
public final class JobRegistry: Sendable {
    private let jobs = Mutex<[String: JobMaster]>([:])
    private let membership: Membership
    private let logger: Logger

    public init(membership: Membership, logger: Logger) {
        self.membership = membership
        self.logger = logger
        membership.onLost { [weak self] id in self?.taskManagerLost(id) }
    }

    /// Validates and starts a job; returns its id. Throws `JobSpecError` for a bad spec.
    public func submit(yaml: String, parallelism: Int? = nil) throws -> JobMaster {
        let spec = try JobSpecParser.parse(yaml: yaml, parallelismOverride: parallelism)
        let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let job = JobMaster(id: id, spec: spec, membership: membership, logger: logger)
        jobs.withLock { $0[id] = job }
        logger.info("job submitted", metadata: ["job": "\(id)", "name": "\(spec.name)", "parallelism": "\(spec.parallelism)"])
        Task { await job.start() }
        return job
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

    public func heartbeat(_ tasks: [_ProtoTaskStatus]) {
        for status in tasks { job(status.task.jobID)?.update(status) }
    }

    private func taskManagerLost(_ id: String) {
        for job in jobs.withLock({ Array($0.values) }) { job.taskManagerLost(id) }
    }
}
