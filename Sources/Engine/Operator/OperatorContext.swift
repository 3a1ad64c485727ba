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
    /// The schemas submission derived: what arrives on each input, what this operator emits.
    public var inputSchemas: [Schema]
    public var outputSchema: Schema?
    /// The columns this operator's input is keyed by (empty when not keyed).
    public var keyBy: [String]

    public init(jobID: String, jobName: String, attempt: UInt32, vertexID: String, operatorID: String, subtask: Int,
                parallelism: Int, maxParallelism: Int, keyGroups: KeyGroupRange, eventTime: JobSpec.EventTime,
                params: [String: String], keyedState: (any KeyedStateBackend)?, sideOutputs: any SideOutputs,
                environment: OperatorEnvironment, logger: Logger, lineage: String? = nil, checkpointing: Bool = false,
                restored: RestoredOperatorState = .none, checkpointListeners: CheckpointListeners = CheckpointListeners(),
                inputSchemas: [Schema] = [], outputSchema: Schema? = nil, keyBy: [String] = []) {
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
        self.inputSchemas = inputSchemas
        self.outputSchema = outputSchema
        self.keyBy = keyBy
    }

    /// The layout of rows arriving on `input`, or an error naming what is missing.
    public func inputLayout(_ input: Int = 0) throws -> RowLayout {
        guard input < inputSchemas.count else {
            throw OperatorError.configuration(operatorID, "no schema for input \(input): the JobManager sent none (an older version?)")
        }
        return RowLayout(inputSchemas[input])
    }

    /// The layout of the rows this operator emits, or an error naming what is missing.
    public func outputLayout() throws -> RowLayout {
        guard let outputSchema else { throw OperatorError.configuration(operatorID, "no output schema: the JobManager sent none") }
        return RowLayout(outputSchema)
    }

    /// The value of a declared parameter: the spec's, else its declared default; nil when an
    /// optional one is unset. Submission validated it; it is checked again here because a
    /// context may also come from a test or an older JobManager.
    public func value(_ parameter: ParameterDeclaration) throws -> String? {
        guard let text = params[parameter.name] ?? parameter.defaultValue else {
            if parameter.isRequired { throw OperatorError.configuration(operatorID, "parameter '\(parameter.name)' is required") }
            return nil
        }
        switch parameter.canonical(text) {
        case .success(let value): return value
        case .failure(let error): throw OperatorError.configuration(operatorID, "parameter '\(parameter.name)' \(error)")
        }
    }

    /// A required (or defaulted) string parameter.
    public func string(_ parameter: ParameterDeclaration) throws -> String {
        guard let value = try value(parameter), !value.isEmpty else {
            throw OperatorError.configuration(operatorID, "parameter '\(parameter.name)' is required")
        }
        return value
    }

    /// An integer parameter with a default (or required).
    public func integer(_ parameter: ParameterDeclaration) throws -> Int {
        guard let number = try value(parameter).flatMap(Int.init) else {
            throw OperatorError.configuration(operatorID, "parameter '\(parameter.name)' must be an integer")
        }
        return number
    }

    /// A boolean parameter with a default (or required).
    public func boolean(_ parameter: ParameterDeclaration) throws -> Bool {
        try value(parameter) == "true"
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
