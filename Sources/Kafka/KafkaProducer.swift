import CRdKafka
import Logging
import Synchronization

/// A Kafka producer: owns one librdkafka producer handle (`rd_kafka_t`) and the topic handles
/// (`rd_kafka_topic_t`) it caches per topic name; `deinit` destroys the topic handles, then the
/// client. Messages still queued at that point are dropped (and logged): call `flush` first.
///
/// Thread rules: librdkafka documents its whole API as thread-safe, so any thread may send,
/// poll and flush concurrently; the topic-handle cache is behind a mutex. `send`, `sendBatch`
/// and `poll(timeout: .zero)` never block; `flush`, `poll` with a timeout and `partitionCount`
/// block the calling thread, so keep them off event loops.
///
/// Invariants: every message handed to librdkafka is counted exactly once in `deliveryCounts`
/// (delivered or failed) once its delivery report has been served by `poll` or `flush`.
public final class KafkaProducer: @unchecked Sendable {  // rd_kafka_t is documented thread-safe; Swift state is in a Mutex or atomics.
    /// Pass as `partition` to let the configured partitioner choose (by key hash).
    public static let anyPartition: Int32 = -1  // RD_KAFKA_PARTITION_UA

    /// What the delivery reports served so far say.
    public struct DeliveryCounts: Sendable, Hashable {
        public var delivered: Int
        public var failed: Int
        /// Messages queued or in flight whose report has not been served yet.
        public var pending: Int

        public init(delivered: Int, failed: Int, pending: Int) {
            self.delivered = delivered
            self.failed = failed
            self.pending = pending
        }
    }

    private let handle: OpaquePointer
    private let context: KafkaClientContext
    private let topicHandles = Mutex<[String: TopicHandle]>([:])
    /// `context.failed` at the previous `flush`, so each flush reports only new failures.
    private let failuresReportedByFlush = Atomic<Int>(0)
    private let logger: Logger

    /// Creates a producer from librdkafka properties (`bootstrap.servers`, `compression.type`
    /// such as `lz4` or `zstd`, `linger.ms`, …; see librdkafka's CONFIGURATION.md).
    public init(configuration: [String: String], logger: Logger = Logger(label: "sluice.kafka.producer")) throws {
        let context = KafkaClientContext(logger: logger)
        let conf = try RDKafkaConfiguration.make(configuration)
        context.install(on: conf, deliveryReports: true)
        handle = try RDKafkaConfiguration.makeClient(RD_KAFKA_PRODUCER, conf: conf, what: "Kafka producer")
        self.context = context
        self.logger = logger
    }

    deinit {
        let pending = rd_kafka_outq_len(handle)
        if pending > 0 {
            logger.warning("destroying Kafka producer with \(pending) messages not yet delivered; call flush first")
        }
        for topic in topicHandles.withLock({ $0.values.map(\.pointer) }) {
            rd_kafka_topic_destroy(topic)
        }
        rd_kafka_destroy(handle)
    }

    /// Enqueues one message without blocking; librdkafka copies `key` and `value`.
    ///
    /// Throws a retriable `_QUEUE_FULL` error when the local queue
    /// (`queue.buffering.max.messages`) is full; `poll` or `flush` drain it.
    public func send(topic: String, partition: Int32 = anyPartition, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer) throws {
        let topicHandle = try self.topicHandle(topic)
        let result = rd_kafka_produce(
            topicHandle, partition, RD_KAFKA_MSG_F_COPY,
            UnsafeMutableRawPointer(mutating: value.baseAddress), value.count,
            key?.baseAddress, key?.count ?? 0, nil)
        if result != 0 {
            throw KafkaError.check(rd_kafka_last_error(), context: "produce to \(topic)[\(partition)]", handle: handle)
                ?? KafkaError.failed(code: RD_KAFKA_RESP_ERR__FAIL.rawValue, message: "rd_kafka_produce failed", context: "produce to \(topic)[\(partition)]")
        }
        rd_kafka_poll(handle, 0)  // serve delivery reports that are ready, without waiting
    }

    /// Enqueues one message without blocking (see the raw-buffer overload).
    public func send(topic: String, partition: Int32 = anyPartition, key: [UInt8]? = nil, value: [UInt8]) throws {
        try value.withUnsafeBytes { valueBytes in
            if let key {
                try key.withUnsafeBytes { try send(topic: topic, partition: partition, key: $0, value: valueBytes) }
            } else {
                try send(topic: topic, partition: partition, key: nil, value: valueBytes)
            }
        }
    }

    /// Enqueues every message of `batch` to `topic` with `rd_kafka_produce_batch`, each to its
    /// own partition. When the local queue is full it serves delivery reports (blocking up to
    /// 100 ms at a time) and retries the rest, for at most `queueFullTimeout` in total.
    ///
    /// Throws on the first other failure; messages enqueued before it stay enqueued.
    public func sendBatch(topic: String, _ batch: KafkaProducerBatch, queueFullTimeout: Duration = .seconds(60)) throws {
        guard !batch.isEmpty else { return }
        let topicHandle = try self.topicHandle(topic)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: queueFullTimeout)
        try batch.bytes.withUnsafeBytes { arena in
            let base = UnsafeMutableRawPointer(mutating: arena.baseAddress)
            var pending = Array(batch.entries.indices)
            var messages = [rd_kafka_message_t](repeating: rd_kafka_message_t(), count: pending.count)
            while !pending.isEmpty {
                for (slot, index) in pending.enumerated() {
                    let entry = batch.entries[index]
                    var message = rd_kafka_message_t()
                    message.partition = entry.partition
                    message.payload = entry.valueLength > 0 ? base.map { $0 + entry.valueStart } : nil
                    message.len = entry.valueLength
                    if entry.keyLength >= 0 {
                        message.key = entry.keyLength > 0 ? base.map { $0 + entry.keyStart } : nil
                        message.key_len = entry.keyLength
                    }
                    messages[slot] = message
                }
                let count = pending.count
                let enqueued = messages.withUnsafeMutableBufferPointer {
                    rd_kafka_produce_batch(topicHandle, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_PARTITION,
                                           $0.baseAddress, Int32(count))
                }
                if Int(enqueued) == count { break }
                var retry: [Int] = []
                for slot in 0..<count where messages[slot].err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let code = messages[slot].err
                    guard code == RD_KAFKA_RESP_ERR__QUEUE_FULL else {
                        let partition = batch.entries[pending[slot]].partition
                        let context = "batch produce to \(topic)[\(partition)]"
                        throw KafkaError.check(code, context: context, handle: handle)
                            ?? KafkaError.failed(code: code.rawValue, message: String(cString: rd_kafka_err2str(code)), context: context)
                    }
                    retry.append(pending[slot])
                }
                pending = retry
                if clock.now >= deadline {
                    throw KafkaError.failed(code: RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue,
                                            message: "\(pending.count) messages still did not fit into the local queue after \(queueFullTimeout)",
                                            context: "batch produce to \(topic)")
                }
                rd_kafka_poll(handle, 100)  // let delivery reports drain the queue
            }
        }
        rd_kafka_poll(handle, 0)
    }

    /// Serves delivery reports and client events, waiting up to `timeout` for one; returns how
    /// many were served.
    @discardableResult
    public func poll(timeout: Duration = .zero) -> Int {
        Int(rd_kafka_poll(handle, RDKafkaConfiguration.milliseconds(timeout)))
    }

    /// Waits until every message handed to this producer was delivered or failed.
    ///
    /// Throws `flushTimedOut` if messages remain after `timeout`, and `deliveryFailed` if
    /// delivery reports since the previous flush said messages failed.
    public func flush(timeout: Duration) throws {
        let code = rd_kafka_flush(handle, RDKafkaConfiguration.milliseconds(timeout))
        if code == RD_KAFKA_RESP_ERR__TIMED_OUT {
            throw KafkaError.flushTimedOut(remaining: Int(rd_kafka_outq_len(handle)), context: "producer flush")
        }
        if let error = KafkaError.check(code, context: "producer flush", handle: handle) { throw error }
        let failed = context.failed.load(ordering: .relaxed)
        let alreadyReported = failuresReportedByFlush.exchange(failed, ordering: .relaxed)
        if failed > alreadyReported {
            logger.error("\(failed - alreadyReported) Kafka messages failed delivery since the last flush")
            throw KafkaError.deliveryFailed(count: failed - alreadyReported, code: context.lastFailureCode.load(ordering: .relaxed),
                                            context: "producer flush")
        }
    }

    /// Delivered and failed messages so far, and those still awaiting a report.
    public var deliveryCounts: DeliveryCounts {
        DeliveryCounts(delivered: context.delivered.load(ordering: .relaxed),
                       failed: context.failed.load(ordering: .relaxed),
                       pending: Int(rd_kafka_outq_len(handle)))
    }

    /// The number of partitions of `topic`, from the cluster's metadata (blocks up to `timeout`).
    public func partitionCount(topic: String, timeout: Duration = .seconds(10)) throws -> Int {
        try RDKafkaQueries.partitionCount(handle: handle, topicHandle: topicHandle(topic), topic: topic, timeout: timeout)
    }

    /// The cached `rd_kafka_topic_t` for `topic`, created on first use.
    private func topicHandle(_ topic: String) throws(KafkaError) -> OpaquePointer {
        let handle = self.handle
        return try topicHandles.withLock { (handles) throws(KafkaError) -> TopicHandle in
            if let existing = handles[topic] { return existing }
            guard let created = rd_kafka_topic_new(handle, topic, nil) else {
                throw KafkaError.check(rd_kafka_last_error(), context: "creating topic handle for \(topic)")
                    ?? .creationFailed(what: "topic handle for \(topic)", reason: "rd_kafka_topic_new returned NULL")
            }
            let topicHandle = TopicHandle(pointer: created)
            handles[topic] = topicHandle
            return topicHandle
        }.pointer
    }
}

/// A borrowed `rd_kafka_topic_t` owned by the producer's cache.
private struct TopicHandle: @unchecked Sendable {  // rd_kafka_topic_t is part of librdkafka's thread-safe API.
    let pointer: OpaquePointer
}
