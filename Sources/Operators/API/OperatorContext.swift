import Logging

/// What an operator instance knows about where it runs and the services it may use.
///
/// Built by the task runtime for each operator of a chain; used on the task's thread only.
public struct OperatorContext {
    public var jobID: String
    public var jobName: String
    public var attempt: UInt32
    public var vertexID: String
    public var operatorID: String
    public var subtask: Int
    public var parallelism: Int
    public var maxParallelism: Int
    public var keyGroups: KeyGroupRange
    public var eventTime: JobSpec.EventTime
    public var params: [String: String]
    /// Keyed state of this subtask (RocksDB in a TaskManager); nil for non-keyed operators.
    public var keyedState: (any KeyedStateBackend)?
    /// Dead letters and late events: routed to PostgreSQL and counted, never dropped.
    public var sideOutputs: any SideOutputs
    /// Defaults (Kafka bootstrap, PostgreSQL URL) for operators whose params leave them out.
    public var environment: OperatorEnvironment
    public var logger: Logger
    /// Stable across restarts and resumes from a checkpoint (the id of the job that first ran
    /// this pipeline); names external resources that must outlive one job id (sink
    /// transactions, fences).
    public var lineage: String
    /// Whether the job takes checkpoints (exactly-once sinks need them).
    public var checkpointing: Bool
    /// This operator's state from the checkpoint being restored; `.none` on a fresh start.
    public var restored: RestoredOperatorState
    /// Where operators hear of completed checkpoints (off the task thread).
    public var checkpointListeners: CheckpointListeners

    public init(jobID: String, jobName: String, attempt: UInt32, vertexID: String, operatorID: String, subtask: Int,
                parallelism: Int, maxParallelism: Int, keyGroups: KeyGroupRange, eventTime: JobSpec.EventTime,
                params: [String: String], keyedState: (any KeyedStateBackend)?, sideOutputs: any SideOutputs,
                environment: OperatorEnvironment, logger: Logger, lineage: String? = nil, checkpointing: Bool = false,
                restored: RestoredOperatorState = .none, checkpointListeners: CheckpointListeners = CheckpointListeners()) {
        self.jobID = jobID
        self.jobName = jobName
        self.attempt = attempt
        self.vertexID = vertexID
        self.operatorID = operatorID
        self.subtask = subtask
        self.parallelism = parallelism
        self.maxParallelism = maxParallelism
        self.keyGroups = keyGroups
        self.eventTime = eventTime
        self.params = params
        self.keyedState = keyedState
        self.sideOutputs = sideOutputs
        self.environment = environment
        self.logger = logger
        self.lineage = lineage ?? jobID
        self.checkpointing = checkpointing
        self.restored = restored
        self.checkpointListeners = checkpointListeners
    }

    /// A required parameter, or an error naming it.
    public func parameter(_ name: String) throws -> String {
        guard let value = params[name], !value.isEmpty else {
            throw OperatorError.configuration(operatorID, "parameter '\(name)' is required")
        }
        return value
    }

    public func integer(_ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = params[name] else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw OperatorError.configuration(operatorID, "parameter '\(name)' must be an integer in \(range), got '\(text)'")
        }
        return number
    }
}

/// Connection defaults a TaskManager hands its operators.
public struct OperatorEnvironment: Sendable {
    public var kafkaBootstrap: String?
    public var postgresURL: String?

    public init(kafkaBootstrap: String?, postgresURL: String?) {
        self.kafkaBootstrap = kafkaBootstrap
        self.postgresURL = postgresURL
    }
}

/// Why an operator failed; fails its task with this description as the cause.
public enum OperatorError: Error, CustomStringConvertible {
    case configuration(String, String)
    case external(String, String)

    public var description: String {
        switch self {
        case .configuration(let id, let what): return "operator \(id): \(what)"
        case .external(let id, let what): return "operator \(id): \(what)"
        }
    }
}
