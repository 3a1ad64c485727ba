import Hummingbird

/// `GET /config`, in Flink's shape (`flink-version` carries Sluice's version).
struct DashboardConfiguration: ResponseEncodable {
    struct Features: Codable {
        var webSubmit: Bool
        var webCancel: Bool
        var webRescale: Bool
        var webHistory: Bool

        enum CodingKeys: String, CodingKey {
            case webSubmit = "web-submit", webCancel = "web-cancel", webRescale = "web-rescale", webHistory = "web-history"
        }
    }

    var refreshInterval: Int64
    var timezoneName: String
    var timezoneOffset: Int
    var flinkVersion: String
    var flinkRevision: String
    var features: Features
    /// Whether submit, cancel and stop need `Authorization: Bearer <token>` (`rest.token-file`).
    var restTokenRequired: Bool

    enum CodingKeys: String, CodingKey {
        case refreshInterval = "refresh-interval", timezoneName = "timezone-name", timezoneOffset = "timezone-offset"
        case flinkVersion = "flink-version", flinkRevision = "flink-revision", features, restTokenRequired = "rest-token-required"
    }
}

/// `GET /overview`, in Flink's shape.
struct OverviewResponse: ResponseEncodable {
    var taskmanagers: Int
    var slotsTotal: Int
    var slotsAvailable: Int
    var jobsRunning: Int
    var jobsFinished: Int
    var jobsCancelled: Int
    var jobsFailed: Int
    var flinkVersion: String
    var flinkCommit: String

    enum CodingKeys: String, CodingKey {
        case taskmanagers, slotsTotal = "slots-total", slotsAvailable = "slots-available"
        case jobsRunning = "jobs-running", jobsFinished = "jobs-finished", jobsCancelled = "jobs-cancelled"
        case jobsFailed = "jobs-failed", flinkVersion = "flink-version", flinkCommit = "flink-commit"
    }

    init(_ overview: ClusterOverview, version: String, commit: String) {
        taskmanagers = overview.taskManagers
        slotsTotal = overview.slotsTotal
        slotsAvailable = overview.slotsAvailable
        jobsRunning = overview.jobs.running
        jobsFinished = overview.jobs.finished
        jobsCancelled = overview.jobs.cancelled
        jobsFailed = overview.jobs.failed
        flinkVersion = version
        flinkCommit = commit
    }
}

/// One entry of `GET /taskmanagers` (and the body of `GET /taskmanagers/:id`), Flink's field names.
///
/// As in Flink, `timeSinceLastHeartbeat` holds the epoch milliseconds of the last heartbeat;
/// `heartbeatAgeMs` is Sluice's addition with the age itself, as are `host` and the process
/// figures of the last heartbeat (`rssBytes`, `cpuSeconds`, records and bytes of its tasks).
struct TaskManagerResponse: ResponseEncodable {
    var id: String
    var path: String
    var dataPort: Int
    var metricsPort: Int
    var jmxPort: Int
    var timeSinceLastHeartbeat: Int64
    var heartbeatAgeMs: Int64
    var slotsNumber: Int
    var freeSlots: Int
    var pid: Int
    var host: String
    var rssBytes: UInt64
    var cpuSeconds: Double
    var recordsIn: UInt64
    var recordsOut: UInt64
    var bytesIn: UInt64
    var bytesOut: UInt64
    /// Whether the JobManager could connect to `host:dataPort` at registration, and if not, why.
    var dataPortReachable: Bool
    var dataPortProblem: String?

    init(_ member: MembershipTable.Member, now: ContinuousClock.Instant) {
        id = member.info.id
        path = "sluice.tcp://\(member.info.host):\(member.info.dataPort)/taskmanager/\(member.info.id)"
        dataPort = member.info.dataPort
        metricsPort = member.info.metricsPort
        jmxPort = -1
        timeSinceLastHeartbeat = member.lastHeartbeatEpochMillis
        heartbeatAgeMs = max(0, (now - member.lastHeartbeat).milliseconds)
        slotsNumber = member.info.slots
        freeSlots = member.freeSlots
        pid = member.info.pid
        host = member.info.host
        rssBytes = member.usage.rssBytes
        cpuSeconds = member.usage.cpuSeconds
        recordsIn = member.usage.recordsIn
        recordsOut = member.usage.recordsOut
        bytesIn = member.usage.bytesIn
        bytesOut = member.usage.bytesOut
        dataPortReachable = member.dataPortProblem == nil
        dataPortProblem = member.dataPortProblem
    }
}

struct TaskManagersResponse: ResponseEncodable {
    var taskmanagers: [TaskManagerResponse]
}
