/// The registry of built-in operator kinds: makes a fresh instance of each kind.
public enum BuiltInOperators {
    public enum Instance {
        case source(any SourceOperator)
        case `operator`(any StreamOperator)
    }

    public static func instantiate(_ kind: OperatorKind) -> Instance {
        switch kind {
        case .kafkaSource: .source(KafkaSourceOperator())
        case .fileSource: .source(FileSourceOperator())
        case .firstClickAttribution: .operator(FirstClickAttributionOperator())
        case .userEnrichment: .operator(UserEnrichmentOperator())
        case .postgresSink: .operator(PostgresSinkOperator())
        case .blackholeSink: .operator(BlackholeSinkOperator())
        }
    }

    /// The instance's checkpoint hook, if it keeps state of its own.
    public static func checkpointed(_ instance: Instance) -> (any CheckpointedOperator)? {
        switch instance {
        case .source(let op): op as? any CheckpointedOperator
        case .operator(let op): op as? any CheckpointedOperator
        }
    }
}
