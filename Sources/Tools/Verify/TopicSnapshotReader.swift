import Logging
import SluiceKafka

/// Reads every record of the input topics that exists when reading starts: each partition is
/// assigned manually from its low watermark and read up to the high watermark seen at the start
/// (records produced later are ignored), stopping at the end of the partition.
///
/// Records are handed to `deliver` in chunks, so a large topic never sits in memory whole.
struct TopicSnapshotReader {
    static let chunkSize = 20_000

    let consumer: KafkaConsumer
    let bootstrapServers: String
    let idleTimeout: Duration
    let logger: Logger

    /// Reads `topics` completely; returns what was read per partition.
    func read(topics: [(topic: EventTopic, name: String)], deliver: ([RawRecordRow]) throws -> Void) throws -> [PartitionSnapshot] {
        var snapshots: [KafkaTopicPartition: PartitionSnapshot] = [:]
        var kinds: [String: EventTopic] = [:]
        for (topic, name) in topics {
            kinds[name] = topic
            do {
                let count = try consumer.partitionCount(topic: name)
                for partition in 0..<Int32(count) {
                    let marks = try consumer.watermarks(topic: name, partition: partition)
                    let key = KafkaTopicPartition(topic: name, partition: partition)
                    snapshots[key] = PartitionSnapshot(partition: key, watermarks: marks)
                }
            } catch {
                throw VerifyError.topicUnavailable(topic: name, bootstrap: bootstrapServers, reason: "\(error)")
            }
        }
        let readable = snapshots.values.filter { $0.watermarks.high > $0.watermarks.low }
            .sorted { ($0.partition.topic, $0.partition.partition) < ($1.partition.topic, $1.partition.partition) }
        var pending = Set(readable.map(\.partition))
        try consumer.assign(readable.map {
            KafkaPartitionAssignment(topic: $0.partition.topic, partition: $0.partition.partition, start: .offset($0.watermarks.low))
        })
        logger.info("reading Kafka", metadata: ["partitions": "\(pending.count)",
                                                "records": "\(snapshots.values.reduce(0) { $0 + $1.watermarks.messageCount })"])

        let clock = ContinuousClock()
        var lastProgress = clock.now
        var rows: [RawRecordRow] = []
        rows.reserveCapacity(Self.chunkSize)
        while !pending.isEmpty {
            let batch = try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(500))
            for record in batch.records {
                let key = KafkaTopicPartition(topic: record.topic, partition: record.partition)
                guard let snapshot = snapshots[key], let kind = kinds[record.topic] else { continue }
                let high = snapshot.watermarks.high
                guard record.offset < high else { pending.remove(key); continue }
                snapshots[key]?.firstOffsetRead = min(snapshot.firstOffsetRead ?? record.offset, record.offset)
                snapshots[key]?.recordsRead += 1
                rows.append(RawRecordRow(record, kind: kind))
                if record.offset >= high - 1 { pending.remove(key) }
            }
            for (key, next) in batch.endOfPartition where next >= (snapshots[key]?.watermarks.high ?? 0) {
                pending.remove(key)
            }
            for error in batch.errors {
                logger.warning("Kafka reported an error while reading (reading continues): \(error)")
            }
            if rows.count >= Self.chunkSize {
                try deliver(rows)
                rows.removeAll(keepingCapacity: true)
            }
            if !batch.records.isEmpty || !batch.endOfPartition.isEmpty {
                lastProgress = clock.now
            } else if clock.now - lastProgress > idleTimeout {
                throw VerifyError.readStalled(pending: pending.map(\.description).sorted(), seconds: Int(idleTimeout.components.seconds))
            }
        }
        if !rows.isEmpty { try deliver(rows) }
        try consumer.assign([])
        return snapshots.values.sorted { ($0.partition.topic, $0.partition.partition) < ($1.partition.topic, $1.partition.partition) }
    }
}
