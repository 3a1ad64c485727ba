import Foundation
import Logging
import SluiceKafka
import SluiceConnectorKinds
import SluiceEngine

/// Reads one topic of JSON events with librdkafka, assigns event time and generates
/// per-partition bounded-out-of-orderness watermarks.
///
/// Subtask i of n reads the partitions p with p % n == i, by manual assignment (no consumer
/// group: offsets belong to Sluice's checkpoints). Unbounded by default; `bounded: true` stops
/// at the end offsets seen at start (or `end-offsets: "0:120,1:98"`), then emits the final
/// watermark. Malformed records go to the dead-letter side output. Runs on the task thread.
///
/// Checkpointed state: per partition the next offset to read and the bounded end offset, so a
/// restored subtask resumes exactly after the barrier and stops where the original run would
/// have. On a rescaled restore every subtask sees all old subtasks' offsets and takes its own
/// partitions. `max-records-per-second` (per subtask) throttles reading, e.g. to replay a topic
/// at production pace.
public final class KafkaSourceOperator: SourceOperator, CheckpointedOperator, CountingOperator {
    private var consumer: KafkaConsumer?
    private var topic = ""
    private var decoder = JSONSourceDecoder()
    private var tracker = WatermarkTracker(outOfOrderness: 0, idleTimeout: 0)
    private var endOffsets: [Int32: Int64] = [:]
    private var finished: Set<Int32> = []
    private var bounded = false
    /// The output was last marked idle (every partition silent for the idle timeout, or none assigned).
    private var outputIdle = false
    /// Next offset to read, by partition number (-1 = nothing read yet).
    private var nextOffsets: [Int64] = []
    private var rateLimit: RateLimiter?
    private var sideOutputs: (any SideOutputs)?
    private var logger = Logger(label: "sluice.kafka-source")
    public private(set) var recordsRead: UInt64 = 0
    public private(set) var deadLettered: UInt64 = 0
    /// Lag of each assigned partition whose lag is known, refreshed at most once per
    /// `lagRefreshMillis` on the task thread (never per record).
    public private(set) var consumerLag: [KafkaPartitionLag] = []
    private var assigned: [Int32] = []
    private var lagRefreshedAt: Int64 = 0
    /// Commits completed checkpoints' offsets to the consumer group (nil: commit-offsets false).
    private var committer: KafkaOffsetCommitter?
    static let lagRefreshMillis: Int64 = 1_000

    private let formats: [RecordFormat]

    /// A source that can read the registered record `formats` besides declared schemas.
    public init(formats: [RecordFormat] = []) {
        self.formats = formats
    }

    public func count(of event: String) -> Int? {
        switch event {
        case "records_read": Int(clamping: recordsRead)
        case "dead_lettered": Int(clamping: deadLettered)
        default: nil
        }
    }

    public func open(context: OperatorContext) throws {
        topic = try context.string(KafkaSourceKind.topic)
        bounded = try context.boolean(KafkaSourceKind.bounded)
        logger = context.logger
        sideOutputs = context.sideOutputs
        let maxBytes = try context.integer(KafkaSourceKind.maxRecordBytes)
        let rate = try context.integer(KafkaSourceKind.maxRecordsPerSecond)
        rateLimit = rate > 0 ? RateLimiter(perSecond: rate) : nil
        let restored = try KafkaSourceState.merge(context.restored.states, operatorID: context.operatorID)
        decoder = try JSONSourceDecoder(context, maxRecordBytes: maxBytes, formats: formats)
        guard let bootstrap = try context.value(KafkaSourceKind.bootstrap) ?? context.environment.kafkaBootstrap else {
            throw OperatorError.configuration(context.operatorID, "no Kafka bootstrap: set params.bootstrap or kafka.bootstrap(-file) in the TaskManager config")
        }
        let consumer = try KafkaConsumer(configuration: [
            "bootstrap.servers": bootstrap,
            "client.id": "sluice-\(context.jobID)-\(context.operatorID)-\(context.subtask)",
            "fetch.wait.max.ms": "20",
            // Bounds prefetched data per consumer: librdkafka's own default. 8 MB held the Kafka
            // read+parse ceiling at ~96k events/s (p=2) against 450k with 64 MB: once the queue is
            // over its bound, librdkafka 2.0 waits before it fetches again, long after the task
            // drained it (bench/limits.md, 2026-12-07). Tune with `properties`.
            "queued.max.messages.kbytes": "65536",
            // One fetch response may be up to fetch.max.bytes (default 50 MB) of compressed
            // batches per broker, decompressed in memory before the queue bound applies.
            "fetch.max.bytes": "4194304",
            "group.id": try context.value(KafkaSourceKind.groupID) ?? "sluice-\(context.jobName)",
        ].merging(try context.kafkaProperties()) { _, given in given }, logger: context.logger)
        let startPosition = try Self.startPosition(try context.string(KafkaSourceKind.start), operatorID: context.operatorID)
        let partitions = try consumer.partitionCount(topic: topic)
        let mine = (0..<Int32(partitions)).filter { Int($0) % context.parallelism == context.subtask }
        tracker = WatermarkTracker(outOfOrderness: context.eventTime.outOfOrdernessMillis, idleTimeout: context.eventTime.idleTimeoutMillis)
        let now = Self.now()
        let explicitEnds = try Self.parseEndOffsets(try context.value(KafkaSourceKind.endOffsets), operatorID: context.operatorID)
        nextOffsets = Array(repeating: -1, count: partitions)
        for partition in mine {
            tracker.addPartition(partition, now: now)
            if let offsets = restored[partition] { nextOffsets[Int(partition)] = offsets.next }
            if bounded {
                // A restored run keeps the end offsets of the original one, or it would read further.
                let end = try restored[partition]?.end ?? explicitEnds[partition] ?? consumer.watermarks(topic: topic, partition: partition).high
                endOffsets[partition] = end
                let low = try consumer.watermarks(topic: topic, partition: partition).low
                if end <= max(low, nextOffsets[Int(partition)]) { markFinished(partition) }
            }
        }
        // A resolved start becomes the partition's position, so a checkpoint taken before its first
        // record restores to it (not to a start resolved again later, which could skip records).
        for (partition, offset) in try Self.startOffsets(startPosition, consumer: consumer, topic: topic,
                                                         partitions: mine.filter { nextOffsets[Int($0)] < 0 }, logger: logger) {
            nextOffsets[Int(partition)] = offset
        }
        try consumer.assign(mine.map { partition in
            let next = nextOffsets[Int(partition)]
            return KafkaPartitionAssignment(topic: topic, partition: partition, start: next >= 0 ? .offset(next) : .beginning)
        })
        self.consumer = consumer
        if try context.boolean(KafkaSourceKind.commitOffsets) {
            let committer = KafkaOffsetCommitter(consumer: consumer, topic: topic, logger: logger)
            context.checkpointListeners.onComplete { [weak committer] id in committer?.completed(id) }
            self.committer = committer
        }
        assigned = mine
        logger.info("reading \(topic)", metadata: ["partitions": "\(mine)", "bounded": "\(bounded)",
                                                   "restored-from": "\(context.restored.checkpointID.map(String.init) ?? "none")"])
    }

    public func poll(output: any SourceOutput, maxRecords: Int) throws -> SourceStatus {
        guard let consumer else { return .finished }
        let now = Self.now()
        var delivered = 0
        var budget = maxRecords
        if let rateLimit {
            budget = min(budget, rateLimit.available())
            if budget == 0 { return .idle }
        }
        let batch = try consumer.pollEach(maxMessages: budget, timeout: .milliseconds(20)) { message in
            if Int(message.partition) < nextOffsets.count { nextOffsets[Int(message.partition)] = message.offset + 1 }
            if bounded, let end = endOffsets[message.partition], message.offset >= end { return }
            delivered += 1
            recordsRead += 1
            do {
                let event = try decoder.decode(message.value)
                tracker.observe(partition: message.partition, eventTime: event.eventTime, now: now)
                if outputIdle {
                    // Active again before the record (records behind the current watermark are late, as usual).
                    try output.emitIdle(false)
                    outputIdle = false
                }
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
        rateLimit?.spend(delivered)
        for error in batch.errors {
            logger.warning("Kafka consumer error", metadata: ["error": "\(error)"])
        }
        if let watermark = tracker.advance(now: now) { try output.emitWatermark(watermark) }
        if !outputIdle, tracker.isIdle(now: now) {
            // Downstream leaves this input out of its watermark until a record arrives.
            try output.emitIdle(true)
            outputIdle = true
            logger.info("source idle: no partition delivered anything within the idle timeout", metadata: ["partitions": "\(assigned)"])
        }
        if now - lagRefreshedAt >= Self.lagRefreshMillis { refreshLag(consumer, now: now) }
        if bounded && finished.count == endOffsets.count {
            refreshLag(consumer, now: now)
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
        committer?.close()
        committer = nil
        consumer = nil
    }

    private static func startPosition(_ text: String, operatorID: String) throws(OperatorError) -> KafkaStartPosition {
        do {
            return try KafkaStartPosition(parsing: text)
        } catch {
            throw .configuration(operatorID, "\(error.field): \(error.message)")
        }
    }

    /// The offset each partition without a checkpointed one starts at (`params.start`), resolved
    /// now; a partition left out starts at the earliest record.
    private static func startOffsets(_ position: KafkaStartPosition, consumer: KafkaConsumer, topic: String,
                                     partitions: [Int32], logger: Logger) throws -> [Int32: Int64] {
        guard !partitions.isEmpty else { return [:] }
        switch position {
        case .earliest:
            return [:]
        case .latest:
            return Dictionary(uniqueKeysWithValues: try partitions.map { ($0, try consumer.watermarks(topic: topic, partition: $0).high) })
        case .timestamp(let millis):
            var offsets = try consumer.offsets(atOrAfter: millis, topic: topic, partitions: partitions)
            for partition in partitions where offsets[partition] == nil {
                let marks = try consumer.watermarks(topic: topic, partition: partition)
                offsets[partition] = marks.high
                if marks.high > marks.low {
                    logger.warning("the broker found no record at or after the start time; starting at the end", metadata: [
                        "partition": "\(topic)[\(partition)]", "start": "\(millis)",
                        "note": "the dev broker (librdkafka's mock cluster) cannot look offsets up by time; a real Kafka can"])
                }
            }
            return offsets
        case .groupOffsets:
            // A partition the group never committed starts at the earliest record.
            return try consumer.committedOffsets(topic: topic, partitions: partitions)
        }
    }

    public func snapshotState(checkpointID: UInt64) throws -> [UInt8]? {
        // Dead letters of records before the barrier are not read again after a restore: write them now.
        try sideOutputs?.flush()
        var state: [Int32: KafkaSourceState.Offsets] = [:]
        for (partition, next) in nextOffsets.enumerated() where next >= 0 || endOffsets[Int32(partition)] != nil {
            state[Int32(partition)] = .init(next: next, end: endOffsets[Int32(partition)])
        }
        committer?.checkpointed(checkpointID, nextOffsets: state.compactMapValues { $0.next >= 0 ? $0.next : nil })
        return KafkaSourceState.encode(state)
    }

    /// Recomputes `consumerLag` from the consumer's cached watermarks (no broker round trip).
    private func refreshLag(_ consumer: KafkaConsumer, now: Int64) {
        lagRefreshedAt = now
        consumerLag = assigned.compactMap { partition in
            let next = Int(partition) < nextOffsets.count ? nextOffsets[Int(partition)] : -1
            let cached = consumer.cachedWatermarks(topic: topic, partition: partition)
            let records = KafkaPartitionLag.records(next: next, low: cached?.low ?? -1, high: cached?.high ?? -1,
                                                    end: endOffsets[partition], finished: finished.contains(partition))
            return records.map { KafkaPartitionLag(topic: topic, partition: partition, records: $0) }
        }
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

extension KafkaSourceOperator: MeasuredOperator {
    public func gauges() -> [GaugeReading] {
        consumerLag.map(\.reading)
    }

    /// The lag summed over the assigned partitions whose lag is known.
    public var backlog: Int64? {
        consumerLag.isEmpty ? nil : consumerLag.reduce(0) { $0 &+ $1.records }
    }
}
