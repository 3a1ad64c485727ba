import Logging
import SluiceConnectorKinds
import SluiceEngine
import SluiceKafka

/// The `kafka-sink` kind: rows as JSON records into a topic, at least once.
///
/// Runs on the task thread; owns its producer. Rows are batched in one reused buffer and handed
/// to librdkafka (which batches per partition, compresses and retries); every checkpoint's
/// `prepareSnapshot` (and the end of input) sends what is buffered and waits until Kafka
/// acknowledged every record, so a completed checkpoint implies its records are in the topic.
/// A record Kafka refused fails the task; the job replays from the last checkpoint (records
/// after it may then be written twice: at least once, as Flink's `DeliveryGuarantee.AT_LEAST_ONCE`).
public final class KafkaSinkOperator: StreamOperator, CountingOperator {
    private var producer: KafkaProducer?
    private var topic = ""
    private var keyColumns: [Int]?
    private var layout: RowLayout?
    private var batch = KafkaProducerBatch(reservingMessages: KafkaSinkOperator.batchRecords, bytes: 256 * 1024)
    private var operatorID = "kafka-sink"
    private var failuresSeen = 0
    /// Acknowledged records of the producer that `close` released (the counter outlives it).
    private var deliveredBeforeClose = 0
    private static let batchRecords = 1_000
    private static let flushTimeout = Duration.seconds(60)

    public init() {}

    public func open(context: OperatorContext) throws {
        operatorID = context.operatorID
        let layout = try context.inputLayout()
        self.layout = layout
        topic = try context.string(KafkaSinkKind.topic)
        let keys = ColumnNames.parse(try context.value(KafkaSinkKind.key))
        keyColumns = keys.isEmpty ? nil : try keys.map { name in
            guard let index = layout.schema.columns.firstIndex(where: { $0.name == name }) else {
                throw OperatorError.configuration(operatorID, "params.key: no column '\(name)' in the input (submission checks this)")
            }
            return index
        }
        guard let bootstrap = try context.value(KafkaSinkKind.bootstrap) ?? context.environment.kafkaBootstrap else {
            throw OperatorError.configuration(operatorID, "no Kafka bootstrap: set params.bootstrap or kafka.bootstrap(-file) in the TaskManager config")
        }
        let producer = try KafkaProducer(configuration: [
            "bootstrap.servers": bootstrap,
            "client.id": "sluice-\(context.jobName)-\(operatorID)-\(context.subtask)",
            "compression.type": try context.string(KafkaSinkKind.compression),
            "linger.ms": "\(try context.integer(KafkaSinkKind.lingerMs))",
            "acks": "all",
            // Producer retries never duplicate or reorder a partition's records.
            "enable.idempotence": "true",
        ].merging(try context.kafkaProperties()) { _, given in given }, logger: context.logger)
        do {
            _ = try producer.partitionCount(topic: topic)
        } catch {
            throw OperatorError.external(operatorID, "cannot write topic '\(topic)' at \(bootstrap): \(error); create the topic "
                                         + "(the dev broker: SLUICE_KAFKA_TOPICS), or fix params.topic/params.bootstrap")
        }
        self.producer = producer
    }

    public func processRecord(_ record: StreamRecord, input: Int, output: any RecordOutput) throws {
        let row = record
        guard let layout else {
            throw OperatorError.configuration(operatorID, "got a record before it was opened")
        }
        let keyColumns = self.keyColumns
        batch.append(partition: KafkaProducer.anyPartition,
                     key: keyColumns.map { columns in { RowJSONWriter.write(row.row, layout, columns: columns, into: &$0) } },
                     value: { RowJSONWriter.write(row.row, layout, into: &$0) })
        if batch.count >= Self.batchRecords { try send() }
    }

    public func processWatermark(_ watermark: Int64, output: any RecordOutput) throws {}

    /// When the stream pauses: hand over what is buffered, serve delivery reports, surface failures.
    public func onTick(output: any RecordOutput) throws {
        try send()
        producer?.poll()
        try throwIfDeliveryFailed()
    }

    public func prepareSnapshot(checkpointID: UInt64, output: any RecordOutput) throws {
        try flush()
    }

    public func finish(output: any RecordOutput) throws {
        try flush()
    }

    public func close() {
        // After a failure nothing more is owed (the job replays from its checkpoint); a short
        // wait only spares the records already handed over.
        try? producer?.flush(timeout: .seconds(1))
        deliveredBeforeClose = producer?.deliveryCounts.delivered ?? deliveredBeforeClose
        producer = nil
    }

    public func count(of event: String) -> Int? {
        event == "records_written" ? producer?.deliveryCounts.delivered ?? deliveredBeforeClose : nil
    }

    private func send() throws {
        guard !batch.isEmpty, let producer else { return }
        try producer.sendBatch(topic: topic, batch)
        batch.removeAll()
    }

    private func flush() throws {
        try send()
        do {
            try producer?.flush(timeout: Self.flushTimeout)
        } catch {
            throw OperatorError.external(operatorID, "Kafka did not acknowledge every record of topic '\(topic)': \(error)")
        }
    }

    private func throwIfDeliveryFailed() throws {
        guard let failed = producer?.deliveryCounts.failed, failed > failuresSeen else { return }
        failuresSeen = failed
        throw OperatorError.external(operatorID, "\(failed) records were not delivered to topic '\(topic)'; the job replays from its last checkpoint")
    }
}
