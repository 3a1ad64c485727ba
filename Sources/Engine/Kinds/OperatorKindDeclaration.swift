/// Everything Sluice knows about an operator kind before running it: its role, parameters,
/// inputs, how its output schema follows from its inputs and parameters, whether it is keyed,
/// and the counters it reports.
///
/// The one source of truth for a kind: the spec parser and type checker read it at submission,
/// `sluice kinds` and the README's operator reference print it, the TaskManager decides from it
/// whether a task gets a keyed state backend and which counters to export. A pure value; the
/// implementations that run a kind live elsewhere (connectors, library, jobs) and are found by
/// `name`.
public struct OperatorKindDeclaration: Sendable {
    public enum Role: String, Sendable, CaseIterable {
        case source, `operator`, sink

        /// The spec section that lists this role.
        public var section: String {
            switch self {
            case .source: "sources"
            case .operator: "operators"
            case .sink: "sinks"
            }
        }
    }

    /// A logical input of the kind (`clicks`, `checkouts`): what it must carry.
    public struct Input: Sendable {
        public var name: String
        public var doc: String

        public init(_ name: String, doc: String) {
            self.name = name
            self.doc = doc
        }
    }

    /// How records reach instances of the kind.
    public enum Keying: Sendable, Equatable {
        /// `key-by` is optional and only picks the exchange (hash instead of forward/rebalance).
        case unkeyed
        /// The kind keeps keyed state and timers: `key-by` is required, on every input, and when
        /// `columns` is set it must name exactly those columns (the state layout depends on them).
        case keyed(columns: [String]?)

        public var isKeyed: Bool { self != .unkeyed }
    }

    /// A counter the kind reports (`sluice_operator_events_total{event=…}`).
    public struct Metric: Sendable, Equatable {
        public var event: String
        public var doc: String

        public init(_ event: String, doc: String) {
            self.event = event
            self.doc = doc
        }
    }

    /// What a schema rule sees: the schemas arriving on each input and the validated
    /// parameters (defaults filled in).
    public struct SchemaInputs: Sendable {
        /// The vertex's id (names the schemas it makes).
        public var id: String
        public var inputs: [Schema]
        public var params: [String: String]
        public var keyBy: [String]

        public init(id: String, inputs: [Schema], params: [String: String], keyBy: [String]) {
            self.id = id
            self.inputs = inputs
            self.params = params
            self.keyBy = keyBy
        }
    }

    /// Derives the output schema (nil for sinks) or refuses the inputs/parameters.
    public typealias SchemaRule = @Sendable (SchemaInputs) throws(SchemaRuleError) -> Schema?

    /// Where a sink's output can be looked at: the web UI's "sink preview" shows the newest rows
    /// of this table (by `orderBy`, descending).
    public struct PreviewTarget: Sendable, Equatable {
        /// Schema-qualified PostgreSQL table.
        public var table: String
        public var orderBy: String?
        /// The sink's own connection URL parameter, when set; else the cluster's.
        public var postgresURL: String?

        public init(table: String, orderBy: String?, postgresURL: String?) {
            self.table = table
            self.orderBy = orderBy
            self.postgresURL = postgresURL
        }
    }

    /// How a sink kind's output is previewed, from its validated vertex; nil for kinds with none.
    public typealias PreviewRule = @Sendable (SchemaInputs) -> PreviewTarget?

    public var name: String
    public var role: Role
    /// One line: what the kind does.
    public var summary: String
    public var parameters: [ParameterDeclaration]
    public var inputs: [Input]
    public var keying: Keying
    /// How the output schema follows from inputs and parameters, in words (for the reference).
    public var output: String
    public var metrics: [Metric]
    /// Gauge and histogram families its operator reports (`MeasuredOperator`).
    public var measures: [MetricFamily]
    public var schemaRule: SchemaRule
    public var preview: PreviewRule?

    public init(name: String, role: Role, summary: String, parameters: [ParameterDeclaration] = [], inputs: [Input] = [],
                keying: Keying = .unkeyed, output: String, metrics: [Metric] = [], measures: [MetricFamily] = [],
                schemaRule: @escaping SchemaRule,
                preview: PreviewRule? = nil) {
        precondition(Set(parameters.map(\.name)).count == parameters.count, "duplicate parameter in \(name)")
        precondition(role == .source ? inputs.isEmpty : !inputs.isEmpty, "\(name): sources take no input, others at least one")
        self.name = name
        self.role = role
        self.summary = summary
        self.parameters = parameters
        self.inputs = inputs
        self.keying = keying
        self.output = output
        self.metrics = metrics
        self.measures = measures
        self.schemaRule = schemaRule
        self.preview = preview
    }

    public func parameter(_ name: String) -> ParameterDeclaration? { parameters.first { $0.name == name } }
}

/// Why a kind refuses its inputs or parameters; `field` is relative to the vertex
/// (`inputs[1]`, `params.table`, `key-by`).
public struct SchemaRuleError: Error, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}
