import CRdKafka
import Logging

/// A Kafka consumer with manual partition assignment: owns one librdkafka consumer handle
/// (`rd_kafka_t`); `deinit` closes and destroys it.
///
/// It never joins a consumer group's rebalancing: the caller decides which partitions it reads
/// and from which offset, e.g. from a checkpoint, as a Flink source does. Offsets are not
/// committed automatically; `commit` publishes them to the `group.id` (see `KafkaConsumer+Offsets`).
///
/// Thread rules: librdkafka documents its API as thread-safe and this type keeps no other
/// mutable state, so it may move between threads; normally one source thread polls it.
/// `poll`, `watermarks` and `partitionCount` block up to their timeout: keep them off event loops.
///
/// Invariants: each record is returned once per assignment; per partition, records come in
/// offset order.
public final class KafkaConsumer: @unchecked Sendable {  // rd_kafka_t is documented thread-safe; no other mutable state.
    let handle: OpaquePointer
    private let context: KafkaClientContext
    private let logger: Logger

    /// Properties this type sets unless `configuration` overrides them.
    public static let defaultConfiguration: [String: String] = [
        "group.id": "sluice-manual-assignment",
        "enable.auto.commit": "false",
        "enable.auto.offset.store": "false",
        "enable.partition.eof": "true",
        "auto.offset.reset": "earliest",
    ]

    /// Creates a consumer from librdkafka properties (`bootstrap.servers`, `fetch.max.bytes`, …),
    /// layered over `defaultConfiguration`.
    public init(configuration: [String: String], logger: Logger = Logger(label: "sluice.kafka.consumer")) throws {
        let context = KafkaClientContext(logger: logger)
        let conf = try RDKafkaConfiguration.make(Self.defaultConfiguration.merging(configuration) { _, given in given })
        context.install(on: conf, deliveryReports: false)
        let handle = try RDKafkaConfiguration.makeClient(RD_KAFKA_CONSUMER, conf: conf, what: "Kafka consumer")
        // Serve client events (errors) through the consumer queue, which `poll` reads.
        let redirected = rd_kafka_poll_set_consumer(handle)
        if let error = KafkaError.check(redirected, context: "redirecting the main queue to the consumer queue") {
            rd_kafka_destroy(handle)
            throw error
        }
        self.handle = handle
        self.context = context
        self.logger = logger
    }

    deinit {
        let closed = rd_kafka_consumer_close(handle)
        if closed != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("closing the Kafka consumer reported \(KafkaError.name(of: closed.rawValue))")
        }
        rd_kafka_destroy(handle)
    }

    /// Replaces the set of partitions this consumer reads (an empty list stops all reading).
    public func assign(_ partitions: [KafkaPartitionAssignment]) throws {
        guard !partitions.isEmpty else {
            if let error = KafkaError.check(rd_kafka_assign(handle, nil), context: "unassign", handle: handle) { throw error }
            return
        }
        guard let list = rd_kafka_topic_partition_list_new(Int32(clamping: partitions.count)) else {
            throw KafkaError.creationFailed(what: "topic partition list", reason: "rd_kafka_topic_partition_list_new returned NULL")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for assignment in partitions {
            let element = rd_kafka_topic_partition_list_add(list, assignment.topic, assignment.partition)
            element?.pointee.offset = assignment.start.rawValue
        }
        let description = partitions.map { "\($0.topic)[\($0.partition)]" }.joined(separator: ", ")
        if let error = KafkaError.check(rd_kafka_assign(handle, list), context: "assign \(description)", handle: handle) { throw error }
        logger.debug("assigned Kafka partitions", metadata: ["partitions": "\(description)"])
    }

    /// Reads up to `maxMessages` records: waits up to `timeout` for the first message or event,
    /// then takes whatever else is ready without waiting. Returns an empty batch on timeout.
    ///
    /// Throws only fatal client errors; other errors come back in the batch. Copies every
    /// payload; hot paths use `pollEach`, which does not.
    public func poll(maxMessages: Int, timeout: Duration) throws -> KafkaConsumerBatch {
        var records: [KafkaRecord] = []
        records.reserveCapacity(min(maxMessages, 4096))
        var batch = try pollEach(maxMessages: maxMessages, timeout: timeout) { message in
            records.append(KafkaRecord(topic: message.topic, partition: message.partition, offset: message.offset,
                                       key: message.key.map { Array($0) }, value: Array(message.value),
                                       timestamp: message.timestamp))
        }
        batch.records = records
        return batch
    }

    /// Like `poll`, but hands each record to `body` as a view of librdkafka's own buffer (valid
    /// only during the call), so decoding a record needs no copy. The returned batch carries the
    /// end-of-partition events and non-fatal errors; its `records` is empty.
    public func pollEach(maxMessages: Int, timeout: Duration, _ body: (KafkaMessageView) throws -> Void) throws -> KafkaConsumerBatch {
        var batch = KafkaConsumerBatch()
        var wait = RDKafkaConfiguration.milliseconds(timeout)
        var lastTopicHandle: OpaquePointer?
        var lastTopicName = ""
        var delivered = 0
        while delivered < maxMessages, let message = rd_kafka_consumer_poll(handle, wait) {
            defer { rd_kafka_message_destroy(message) }
            wait = 0
            let entry = message.pointee
            var topic = ""
            if let topicHandle = entry.rkt {
                if topicHandle != lastTopicHandle {
                    lastTopicHandle = topicHandle
                    lastTopicName = String(cString: rd_kafka_topic_name(topicHandle))
                }
                topic = lastTopicName
            }
            switch entry.err {
            case RD_KAFKA_RESP_ERR_NO_ERROR:
                var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
                let timestamp = rd_kafka_message_timestamp(message, &timestampType)
                delivered += 1
                try body(KafkaMessageView(
                    topic: topic,
                    partition: entry.partition,
                    offset: entry.offset,
                    key: entry.key.map { UnsafeRawBufferPointer(start: $0, count: entry.key_len) },
                    value: UnsafeRawBufferPointer(start: entry.payload, count: entry.payload == nil ? 0 : entry.len),
                    timestamp: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp))
            case RD_KAFKA_RESP_ERR__PARTITION_EOF:
                batch.endOfPartition[KafkaTopicPartition(topic: topic, partition: entry.partition)] = entry.offset
            case RD_KAFKA_RESP_ERR__FATAL:
                throw KafkaError.fatal(of: handle, context: "consumer poll")
                    ?? KafkaError.fatal(code: entry.err.rawValue, message: String(cString: rd_kafka_message_errstr(message)), context: "consumer poll")
            default:
                let where_ = entry.rkt == nil ? "consumer poll" : "consume from \(topic)[\(entry.partition)]"
                batch.errors.append(.failed(code: entry.err.rawValue, message: String(cString: rd_kafka_message_errstr(message)), context: where_))
            }
        }
        return batch
    }

    /// Low and high watermark of a partition, asked from its leader (blocks up to `timeout`).
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) throws -> KafkaWatermarks {
        try RDKafkaQueries.watermarks(handle: handle, topic: topic, partition: partition, timeout: timeout)
    }

    /// The low and high watermark of a partition as this consumer last saw them, without asking
    /// the broker (never blocks): the high one is updated with every fetch response, the low one
    /// only with statistics. An offset not known yet is -1; nil when the partition is unknown to
    /// this consumer (not assigned, or nothing fetched). Cheap enough for a metrics refresh.
    public func cachedWatermarks(topic: String, partition: Int32) -> KafkaWatermarks? {
        var low: Int64 = -1
        var high: Int64 = -1
        guard rd_kafka_get_watermark_offsets(handle, topic, partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return KafkaWatermarks(low: max(low, -1), high: max(high, -1))
    }

    /// The number of partitions of `topic`, from the cluster's metadata (blocks up to `timeout`).
    public func partitionCount(topic: String, timeout: Duration = .seconds(10)) throws -> Int {
        guard let topicHandle = rd_kafka_topic_new(handle, topic, nil) else {
            throw KafkaError.check(rd_kafka_last_error(), context: "creating topic handle for \(topic)")
                ?? KafkaError.creationFailed(what: "topic handle for \(topic)", reason: "rd_kafka_topic_new returned NULL")
        }
        defer { rd_kafka_topic_destroy(topicHandle) }
        return try RDKafkaQueries.partitionCount(handle: handle, topicHandle: topicHandle, topic: topic, timeout: timeout)
    }
}
