
/// Binds a kind's declaration (what the JobManager validated the spec against) to the code
/// that runs it: a fresh instance per subtask.
public struct OperatorFactory: Sendable {
    public enum Instance {
        case source(any SourceOperator)
        case `operator`(any StreamOperator)

        /// The instance's checkpoint hook, if it keeps state of its own.
        public var checkpointed: (any CheckpointedOperator)? {
            switch self {
            case .source(let op): op as? any CheckpointedOperator
            case .operator(let op): op as? any CheckpointedOperator
            }
        }
    }

    public let declaration: OperatorKindDeclaration
    public let make: @Sendable () -> Instance

    public init(_ declaration: OperatorKindDeclaration, make: @escaping @Sendable () -> Instance) {
        self.declaration = declaration
        self.make = make
    }
}
