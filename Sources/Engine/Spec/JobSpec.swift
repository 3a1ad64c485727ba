/// A job as the user writes it in YAML: sources, operators and sinks named by kind from a
/// `KindCatalog`, wired by `inputs`, plus parallelism and event-time settings.
///
/// A value type built only through `JobSpecParser`, so every instance has passed validation:
/// unique ids, known kinds, parameters of the declared types, inputs that exist and form no
/// cycle, and a schema on every edge that the consuming kind accepts.
public struct JobSpec: Sendable, Equatable {
    public struct Vertex: Sendable, Equatable {
        public var id: String
        /// The kind's name in the catalog (`kafka-source`).
        public var kind: String
        public var role: OperatorKindDeclaration.Role
        public var name: String
        public var inputs: [String]
        /// Key columns for a keyed input exchange; empty = forward/rebalance.
        public var keyBy: [String]
        /// Whether the kind keeps keyed state (its task gets a state backend).
        public var keyed: Bool
        public var parallelism: Int?
        /// Validated values, defaults filled in, in canonical text (`true`, `3600000`).
        public var params: [String: String]
        /// The schema of the rows this vertex emits; nil for sinks.
        public var schema: Schema?
        /// The schemas arriving on its inputs, in `inputs` order.
        public var inputSchemas: [Schema] = []
        /// Where the vertex is in the YAML (`operators[0]`), for messages.
        public var field: String
    }

    public struct EventTime: Sendable, Equatable {
        public var outOfOrdernessMillis: Int64
        public var idleTimeoutMillis: Int64
        public var allowedLatenessMillis: Int64

        public init(outOfOrdernessMillis: Int64 = 15_000, idleTimeoutMillis: Int64 = 10_000, allowedLatenessMillis: Int64 = 0) {
            self.outOfOrdernessMillis = outOfOrdernessMillis
            self.idleTimeoutMillis = idleTimeoutMillis
            self.allowedLatenessMillis = allowedLatenessMillis
        }
    }

    public var name: String
    public var parallelism: Int
    public var maxParallelism: Int
    public var eventTime: EventTime
    public var checkpoints: CheckpointSettings
    public var restart: RestartSettings
    /// In topological order: every vertex comes after its inputs.
    public var vertices: [Vertex]
    /// The YAML as submitted, kept for the HA store and the UI.
    public var source: String

    public func vertex(_ id: String) -> Vertex? { vertices.first { $0.id == id } }
}
