import SluiceEngine

/// `kafka-source`: JSON records from one Kafka topic, partitions split over the subtasks,
/// offsets kept in checkpoints (no consumer group).
public enum KafkaSourceKind {
    public static let topic = ParameterDeclaration("topic", .string, .required, doc: "the topic to read")
    public static let bootstrap = ParameterDeclaration(
        "bootstrap", .string, .optional, doc: "Kafka bootstrap servers; unset: the TaskManager's kafka.bootstrap(-file)")
    public static let bounded = ParameterDeclaration(
        "bounded", .boolean, .defaulted("false"),
        doc: "read up to the end offsets found at start (or `end-offsets`), then finish")
    public static let endOffsets = ParameterDeclaration(
        "end-offsets", .string, .optional, doc: "with bounded: where to stop, per partition, e.g. `0:120,1:98`")
    public static let maxRecordBytes = ParameterDeclaration(
        "max-record-bytes", .integer(256...(16 << 20)), .defaulted("65536"), doc: "larger records are dead-lettered")
    public static let start = ParameterDeclaration(
        "start", .string, .defaulted("earliest"),
        doc: "where to start a partition no checkpoint has an offset for: earliest, latest, timestamp:<epoch ms>, "
            + "or group-offsets (the consumer group's committed offsets, else earliest)")
    public static let groupID = ParameterDeclaration(
        "group-id", .string, .optional,
        doc: "the consumer group offsets are committed to (and read by start: group-offsets); unset: sluice-<job name>")
    public static let commitOffsets = ParameterDeclaration(
        "commit-offsets", .boolean, .defaulted("true"),
        doc: "commit each completed checkpoint's offsets to the group, so Kafka lag tools see the job's progress "
            + "(restores still use the checkpoint's offsets)")
    public static let maxRecordsPerSecond = ParameterDeclaration(
        "max-records-per-second", .integer(0...100_000_000), .defaulted("0"), doc: "read-rate limit per subtask; 0 = none")

    /// Per assigned partition (labels topic, partition), about once a second.
    public static let consumerLag = MetricFamily(
        "sluice_kafka_consumer_lag_records", .gauge,
        help: "Records between a source subtask's next offset and the partition's end (high watermark, or a bounded read's end offset), "
            + "from librdkafka's cached watermarks, refreshed about once a second.")

    public static let name = "kafka-source"

    /// The kind, reading the record formats `formats` besides declared schemas.
    public static func declaration(formats: [RecordFormatDeclaration]) -> OperatorKindDeclaration {
        let json = JSONSourceParameters(formats: formats)
        return OperatorKindDeclaration(
            name: name, role: .source,
            summary: "Reads JSON records from a Kafka topic; partitions are split over the subtasks and their offsets live in checkpoints "
                + "(and are committed to a consumer group when one completes, for lag tools).",
            parameters: [topic] + json.all + [bootstrap, bounded, endOffsets, start, groupID, commitOffsets, maxRecordBytes,
                                                              maxRecordsPerSecond, KafkaProperties.parameter],
            output: json.outputDoc,
            metrics: [.init("records_read", doc: "records taken from Kafka"),
                      .init("dead_lettered", doc: "malformed records sent to the dead letters")],
            measures: [consumerLag],
            schemaRule: { (input) throws(SchemaRuleError) in
                if input.params[endOffsets.name] != nil && input.params[bounded.name] != "true" {
                    throw SchemaRuleError("params.end-offsets", "only applies to a bounded read; add bounded: true or remove it")
                }
                _ = try KafkaStartPosition(parsing: input.params[start.name] ?? "earliest")
                _ = try KafkaProperties.parse(input.params[KafkaProperties.parameter.name])
                return try json.outputSchema(input)
            })
    }
}
