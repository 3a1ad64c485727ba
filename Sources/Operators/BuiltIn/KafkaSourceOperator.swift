import Foundation
import Logging
import SluiceKafka

/// Reads one topic of JSON events with librdkafka, assigns event time and generates
/// per-partition bounded-out-of-orderness watermarks.
///
/// Subtask i of n reads the partitions p with p % n == i, by manual assignment (no consumer
/// group: offsets belong to Sluice's checkpoints). Unbounded by default; `bounded: true` stops
/// at the end offsets seen at start (or `end-offsets: "0:120,1:98"`), then emits the final
/// watermark. Malformed records go to the dead-letter side output. Runs on the task thread.
public final class KafkaSourceOperator: SourceOperator {
    private var consumer: KafkaConsumer?
    private var topic = ""
    private var kind = EventKind.click
    private var clicks = ClickDecoder()
    private var checkouts = CheckoutDecoder()
    private var tracker = WatermarkTracker(outOfOrderness: 0, idleTimeout: 0)
    private var endOffsets: [Int32: Int64] = [:]
    private var finished: Set<Int32> = []
    private var bounded = false
    private var sideOutputs: (any SideOutputs)?
    private var logger = Logger(label: "sluice.kafka-source")
    public private(set) var recordsRead: UInt64 = 0
    public private(set) var deadLettered: UInt64 = 0

    public init() {}

    public func open(context: OperatorContext) throws {
        topic = try context.parameter("topic")
        kind = try EventKind(parameter: try context.parameter("event"), operatorID: context.operatorID)
        bounded = context.params["bounded"] == "true"
        logger = context.logger
        sideOutputs = context.sideOutputs
        let maxBytes = try context.integer("max-record-bytes", default: 64 * 1024, range: 256...16 << 20)
        clicks = ClickDecoder(maxRecordBytes: maxBytes)
        checkouts = CheckoutDecoder(maxRecordBytes: maxBytes)
        guard let bootstrap = context.params["bootstrap"] ?? context.environment.kafkaBootstrap else {
            throw OperatorError.configuration(context.operatorID, "no Kafka bootstrap: set params.bootstrap or kafka.bootstrap(-file) in the TaskManager config")
        }
        let consumer = try KafkaConsumer(configuration: [
            "bootstrap.servers": bootstrap,
            "client.id": "sluice-\(context.jobID)-\(context.operatorID)-\(context.subtask)",
            "fetch.wait.max.ms": "20",
            "queued.max.messages.kbytes": "8192",  // bounds prefetched data per consumer
        ], logger: context.logger)
        let partitions = try consumer.partitionCount(topic: topic)
        let mine = (0..<Int32(partitions)).filter { Int($0) % context.parallelism == context.subtask }
        tracker = WatermarkTracker(outOfOrderness: context.eventTime.outOfOrdernessMillis, idleTimeout: context.eventTime.idleTimeoutMillis)
        let now = Self.now()
        let explicitEnds = try Self.parseEndOffsets(context.params["end-offsets"], operatorID: context.operatorID)
        for partition in mine {
            tracker.addPartition(partition, now: now)
            if bounded {
                let end = try explicitEnds[partition] ?? consumer.watermarks(topic: topic, partition: partition).high
                endOffsets[partition] = end
                let low = try consumer.watermarks(topic: topic, partition: partition).low
                if end <= low { markFinished(partition) }
            }
        }
        try consumer.assign(mine.map { KafkaPartitionAssignment(topic: topic, partition: $0, start: .beginning) })
        self.consumer = consumer
        logger.info("reading \(topic)", metadata: ["partitions": "\(mine)", "bounded": "\(bounded)"])
    }

    public func poll(output: any SourceOutput, maxRecords: Int) throws -> SourceStatus {
        guard let consumer else { return .finished }
        let now = Self.now()
        var delivered = 0
        let batch = try consumer.pollEach(maxMessages: maxRecords, timeout: .milliseconds(20)) { message in
            if bounded, let end = endOffsets[message.partition], message.offset >= end { return }
            delivered += 1
            recordsRead += 1
            do {
                let event = try kind.decode(message.value, clicks: clicks, checkouts: checkouts)
                tracker.observe(partition: message.partition, eventTime: event.eventTime, now: now)
                try output.emit(event)
            } catch let error as RecordDecodingError {
                deadLettered += 1
                try sideOutputs?.deadLetter(topic: message.topic, partition: message.partition, offset: message.offset,
                                            payload: message.value, reason: error.description)
            }
            if bounded, let end = endOffsets[message.partition], message.offset + 1 >= end { markFinished(message.partition) }
        }
        for (partition, offset) in batch.endOfPartition where bounded {
            if let end = endOffsets[partition.partition], offset >= end { markFinished(partition.partition) }
        }
        for error in batch.errors {
            logger.warning("Kafka consumer error", metadata: ["error": "\(error)"])
        }
        if let watermark = tracker.advance(now: now) { try output.emitWatermark(watermark) }
        if bounded && finished.count == endOffsets.count {
            try sideOutputs?.flush()
            return .finished
        }
        if delivered == 0 {
            try sideOutputs?.flush()
            return .idle
        }
        return .more
    }

    public func close() {
        consumer = nil
    }

    private func markFinished(_ partition: Int32) {
        finished.insert(partition)
        tracker.finish(partition: partition)
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// `"0:120,1:98"` → [0: 120, 1: 98].
    static func parseEndOffsets(_ text: String?, operatorID: String) throws -> [Int32: Int64] {
        guard let text, !text.isEmpty else { return [:] }
        var result: [Int32: Int64] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let partition = Int32(parts[0].trimmingCharacters(in: .whitespaces)),
                  let offset = Int64(parts[1].trimmingCharacters(in: .whitespaces)) else {
                throw OperatorError.configuration(operatorID, "end-offsets must look like '0:120,1:98', got '\(text)'")
            }
            result[partition] = offset
        }
        return result
    }
}
