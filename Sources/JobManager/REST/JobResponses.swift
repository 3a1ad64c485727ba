import Hummingbird
import SluiceProtocol

/// Flink's per-state task counts (`tasks` objects): lower-case state names plus `total`.
func taskCounts(_ states: [_ProtoExecutionState]) -> [String: Int] {
    var counts = Dictionary(uniqueKeysWithValues: _ProtoExecutionState.restStates.map { ($0.restName.lowercased(), 0) })
    counts["reconciling"] = 0
    for state in states { counts[state.restName.lowercased(), default: 0] += 1 }
    counts["total"] = states.count
    return counts
}

/// One entry of `GET /jobs/overview`.
struct JobOverview: Codable {
    var jid: String
    var name: String
    var state: String
    var startTime: Int64
    var endTime: Int64
    var duration: Int64
    var lastModification: Int64
    var tasks: [String: Int]

    enum CodingKeys: String, CodingKey {
        case jid, name, state, tasks
        case startTime = "start-time", endTime = "end-time", duration, lastModification = "last-modification"
    }

    init(_ job: JobMaster.Snapshot, now: Int64) {
        jid = job.id
        name = job.spec.name
        state = job.status.rawValue
        startTime = job.startTime
        endTime = job.endTime
        duration = (job.endTime >= 0 ? job.endTime : now) - job.startTime
        lastModification = job.lastModification
        tasks = taskCounts(job.executions.values.map(\.state))
    }
}

struct JobsOverviewResponse: ResponseEncodable {
    var jobs: [JobOverview]
}

/// `GET /jobs`: ids and states only, as Flink.
struct JobsListResponse: ResponseEncodable {
    struct Entry: Codable {
        var id: String
        var status: String
    }
    var jobs: [Entry]
}

struct SubmitResponse: ResponseEncodable {
    var jobid: String
}

struct EmptyResponse: ResponseEncodable {}

/// The answer to `POST /jobs/:id/stop`: where to resume from.
struct StopResponse: ResponseEncodable {
    var checkpointID: UInt64
    var path: String
    /// The job was drained (final watermark) before its final checkpoint.
    var drained: Bool
    enum CodingKeys: String, CodingKey { case checkpointID = "checkpoint-id", path = "location", drained }
}

/// `GET /jobs/:id`, in Flink's shape: vertices with task counts and I/O metrics, and the plan.
struct JobDetails: ResponseEncodable {
    struct Vertex: Encodable {
        var id: String
        var name: String
        var parallelism: Int
        var maxParallelism: Int
        var status: String
        var startTime: Int64
        var endTime: Int64
        var duration: Int64
        var tasks: [String: Int]
        var metrics: VertexMetrics

        enum CodingKeys: String, CodingKey {
            case id, name, parallelism, maxParallelism, status, tasks, metrics
            case startTime = "start-time", endTime = "end-time", duration
        }
    }

    struct Plan: Codable {
        struct Input: Codable {
            var num: Int
            var id: String
            var shipStrategy: String
            var exchange: String
            enum CodingKeys: String, CodingKey { case num, id, shipStrategy = "ship_strategy", exchange }
        }
        struct Node: Codable {
            var id: String
            var parallelism: Int
            var `operator`: String
            var operatorStrategy: String
            var description: String
            var inputs: [Input]
            enum CodingKeys: String, CodingKey {
                case id, parallelism, `operator`, description, inputs, operatorStrategy = "operator_strategy"
            }
        }
        var jid: String
        var name: String
        var type: String
        var nodes: [Node]
    }

    var jid: String
    var name: String
    var isStoppable: Bool
    var state: String
    var startTime: Int64
    var endTime: Int64
    var duration: Int64
    var maxParallelism: Int
    var now: Int64
    var timestamps: [String: Int64]
    var vertices: [Vertex]
    var statusCounts: [String: Int]
    var plan: Plan
    var attempt: UInt32
    var numRestarts: Int
    var lineage: String
    var restoredFrom: UInt64?
    var failureCause: String?

    enum CodingKeys: String, CodingKey {
        case jid, name, isStoppable, state, duration, maxParallelism, now, timestamps, vertices, plan, attempt, numRestarts, lineage
        case restoredFrom = "restored-checkpoint"
        case startTime = "start-time", endTime = "end-time", statusCounts = "status-counts", failureCause = "failure-cause"
    }

    init(_ job: JobMaster.Snapshot, now: Int64) {
        jid = job.id
        name = job.spec.name
        isStoppable = job.status == .running && job.spec.checkpoints.isEnabled
        state = job.status.rawValue
        startTime = job.startTime
        endTime = job.endTime
        duration = (job.endTime >= 0 ? job.endTime : now) - job.startTime
        maxParallelism = job.graph.maxParallelism
        self.now = now
        timestamps = Dictionary(uniqueKeysWithValues: job.statusTimestamps.map { ($0.key.rawValue, $0.value) })
        attempt = job.attempt
        numRestarts = job.numRestarts
        lineage = job.lineage
        restoredFrom = job.restoredFrom
        failureCause = job.failureCause
        vertices = job.graph.chains.map { chain in
            let executions = (0..<chain.parallelism).compactMap { job.executions[TaskKey(vertex: chain.id, subtask: $0)] }
            let states = executions.map(\.state)
            let start = executions.map(\.startTime).filter { $0 >= 0 }.min() ?? -1
            let end = states.allSatisfy(\.isTerminal) ? (executions.map(\.endTime).max() ?? -1) : -1
            return Vertex(
                id: chain.id, name: chain.name, parallelism: chain.parallelism, maxParallelism: job.graph.maxParallelism,
                status: Self.vertexStatus(states), startTime: start, endTime: end,
                duration: start < 0 ? -1 : ((end >= 0 ? end : now) - start), tasks: taskCounts(states),
                metrics: VertexMetrics(executions))
        }
        statusCounts = taskCounts(job.executions.values.map(\.state))
        plan = Plan(jid: job.id, name: job.spec.name, type: "STREAMING", nodes: job.graph.chains.map { chain in
            Plan.Node(id: chain.id, parallelism: chain.parallelism, operator: chain.operators.map(\.kind).joined(separator: " -> "),
                      operatorStrategy: chain.operators.first?.keyBy.isEmpty == false ? "keyed by \(chain.operators[0].keyBy.joined(separator: ", "))" : "",
                      description: chain.name,
                      inputs: chain.inputs.map { input in
                          Plan.Input(num: input.inputIndex, id: input.chainID, shipStrategy: Self.shipStrategy(input.partitioning),
                                     exchange: "pipelined_bounded")
                      })
        })
    }

    static func vertexStatus(_ states: [_ProtoExecutionState]) -> String {
        if states.contains(.failed) { return "FAILED" }
        if !states.isEmpty && states.allSatisfy({ $0 == .finished }) { return "FINISHED" }
        if states.contains(.canceling) { return "CANCELING" }
        if !states.isEmpty && states.allSatisfy(\.isTerminal) { return "CANCELED" }
        if states.contains(.running) { return "RUNNING" }
        if states.contains(.initializing) || states.contains(.deploying) { return "DEPLOYING" }
        return states.contains(.scheduled) ? "SCHEDULED" : "CREATED"
    }

    static func shipStrategy(_ partitioning: _ProtoPartitioning) -> String {
        switch partitioning {
        case .hash: "HASH"
        case .forward: "FORWARD"
        case .rebalance: "REBALANCE"
        case .broadcast: "BROADCAST"
        default: "UNKNOWN"
        }
    }
}

/// `GET /jobs/:id/exceptions` in Flink's shape: the latest failure as `root-exception`, every
/// remembered one in `all-exceptions` and `exceptionHistory.entries` (newest first).
struct JobExceptionsResponse: ResponseEncodable {
    struct Entry: Codable {
        var exception: String
        var task: String
        var location: String
        var timestamp: Int64
        var attempt: UInt32
    }

    struct HistoryEntry: Codable {
        var exceptionName: String
        var stacktrace: String
        var timestamp: Int64
        var taskName: String
        var location: String
    }

    struct History: Codable {
        var entries: [HistoryEntry]
        var truncated: Bool
    }

    var rootException: String?
    var timestamp: Int64?
    var allExceptions: [Entry]
    var truncated: Bool
    var exceptionHistory: History

    enum CodingKeys: String, CodingKey {
        case rootException = "root-exception", timestamp, allExceptions = "all-exceptions", truncated, exceptionHistory
    }

    init(_ job: JobMaster.Snapshot) {
        // As Flink: the failure that caused the latest failover, not the neighbours' follow-ons.
        let latest = job.exceptions.first?.attempt
        rootException = (job.exceptions.first { $0.attempt == latest && !$0.followOn } ?? job.exceptions.first)?.cause
        timestamp = job.exceptions.first?.timestamp
        allExceptions = job.exceptions.map { failure in
            Entry(exception: failure.cause, task: failure.source, location: failure.taskManager ?? "(not deployed)",
                  timestamp: failure.timestamp, attempt: failure.attempt)
        }
        truncated = job.exceptions.count >= JobMaster.exceptionHistorySize
        exceptionHistory = History(entries: job.exceptions.map { failure in
            HistoryEntry(exceptionName: failure.task == nil ? "CheckpointFailure" : "TaskFailure", stacktrace: failure.cause,
                         timestamp: failure.timestamp, taskName: "\(failure.source) (attempt \(failure.attempt))",
                         location: failure.taskManager ?? "(not deployed)")
        }, truncated: truncated)
    }
}
