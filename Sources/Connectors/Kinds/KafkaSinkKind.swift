import SluiceEngine

/// `kafka-sink`: rows as JSON records into a Kafka topic, at least once.
public enum KafkaSinkKind {
    public static let topic = ParameterDeclaration("topic", .string, .required, doc: "the topic to write (it must exist)")
    public static let key = ParameterDeclaration(
        "key", .string, .optional,
        doc: "comma-separated columns written as the record key (a JSON object of them), so equal keys share a partition; "
            + "unset: no key (records spread over the partitions)")
    public static let bootstrap = ParameterDeclaration(
        "bootstrap", .string, .optional, doc: "Kafka bootstrap servers; unset: the TaskManager's kafka.bootstrap(-file)")
    public static let compression = ParameterDeclaration(
        "compression", .choice(["none", "lz4", "zstd", "gzip", "snappy"]), .defaulted("lz4"), doc: "record batch compression")
    public static let lingerMs = ParameterDeclaration(
        "linger-ms", .integer(0...10_000), .defaulted("20"), doc: "how long the producer waits to fill a batch")

    public static let declaration = OperatorKindDeclaration(
        name: "kafka-sink", role: .sink,
        summary: "Writes rows as JSON records (column names as fields; timestamps as epoch ms, decimals as exact numbers) "
            + "into a Kafka topic, at least once: every checkpoint waits until Kafka acknowledged all records before it.",
        parameters: [topic, key, bootstrap, compression, lingerMs, KafkaProperties.parameter],
        inputs: [.init("rows", doc: "any schema of rows")],
        output: "none (a sink); records in the topic, a record again for each row replayed after a failover (at least once)",
        metrics: [.init("records_written", doc: "records Kafka acknowledged")],
        schemaRule: { (input) throws(SchemaRuleError) in
            let schema = input.inputs[0]
            _ = try KafkaProperties.parse(input.params[KafkaProperties.parameter.name])
            for column in ColumnNames.parse(input.params[key.name]) where schema.column(column) == nil {
                throw SchemaRuleError("params.key", "no column '\(column)' in the input; it has \(schema.columnNames.joined(separator: ", "))")
            }
            return nil
        })
}
