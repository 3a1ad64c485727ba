/// A job as the user writes it in YAML: sources, operators and sinks from the built-in
/// registry, wired by `inputs`, plus parallelism and event-time settings.
///
/// A value type built only through `JobSpecParser`, so every instance has passed validation:
/// unique ids, known kinds and parameters, inputs that exist and form no cycle.
public struct JobSpec: Sendable, Equatable {
    public struct Vertex: Sendable, Equatable {
        public var id: String
        public var kind: OperatorKind
        public var name: String
        public var inputs: [String]
        /// Key fields for a keyed input exchange (`[user_id, product_id]`); empty = forward/rebalance.
        public var keyBy: [String]
        public var parallelism: Int?
        public var params: [String: String]
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
