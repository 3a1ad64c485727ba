/// The built-in operator kinds a job spec can name, with the parameters each accepts.
///
/// The registry is closed on purpose: a job spec is data, so a typo in a kind or a parameter
/// is refused at submission with the field named, not discovered on a TaskManager later.
public enum OperatorKind: String, Sendable, CaseIterable, Codable {
    case kafkaSource = "kafka-source"
    case fileSource = "file-source"
    case firstClickAttribution = "first-click-attribution"
    case userEnrichment = "user-enrichment"
    case postgresSink = "postgres-sink"
    case blackholeSink = "blackhole-sink"

    public enum Role: Sendable { case source, transform, sink }

    public var role: Role {
        switch self {
        case .kafkaSource, .fileSource: .source
        case .firstClickAttribution, .userEnrichment: .transform
        case .postgresSink, .blackholeSink: .sink
        }
    }

    /// Whether instances keep keyed state (and so get a RocksDB state backend).
    public var isKeyed: Bool { self == .firstClickAttribution }

    /// Parameters the kind understands; `required` ones must be present.
    public var parameters: (required: Set<String>, optional: Set<String>) {
        switch self {
        case .kafkaSource:
            (["topic", "event"], ["bootstrap", "bounded", "end-offsets", "max-record-bytes", "max-records-per-second", "poll-batch"])
        case .fileSource:
            (["path", "event"], ["bounded"])
        case .firstClickAttribution:
            ([], ["window-ms", "emit-mode"])
        case .userEnrichment:
            ([], ["postgres", "cache-size", "batch-size"])
        case .postgresSink:
            ([], ["postgres", "table", "batch-size", "flush-interval-ms", "max-rows-per-second", "delivery", "lock-timeout-ms", "insert-redo-rows"])
        case .blackholeSink:
            ([], [])
        }
    }

    /// How many inputs an operator of this kind takes.
    public var inputCount: ClosedRange<Int> {
        switch role {
        case .source: 0...0
        case .transform, .sink: self == .firstClickAttribution ? 2...2 : 1...1
        }
    }
}
