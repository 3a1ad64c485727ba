import Logging
import SluiceKafka

/// Warns when the mock drops data: watches each partition's low watermark (its start offset),
/// which moves above 0 only when the mock's ~5 MiB per-partition limit discarded old messages.
///
/// Logs one line per change, never per check: a warning when a start offset moves, and a
/// warning when a partition cannot be queried (plus an info line when it can be again).
final class StartOffsetMonitor {
    private let client: KafkaConsumer
    private let partitions: [KafkaTopicPartition]
    private let logger: Logger
    private var lastStart: [KafkaTopicPartition: Int64] = [:]
    private var failing: Set<KafkaTopicPartition> = []

    init(bootstrapServers: String, topics: [TopicSpec], logger: Logger) throws {
        client = try KafkaConsumer(
            configuration: ["bootstrap.servers": bootstrapServers, "client.id": "sluice-devbroker-monitor"],
            logger: Logger(label: "sluice.devbroker.monitor"))
        partitions = topics.flatMap { topic in (0..<topic.partitions).map { KafkaTopicPartition(topic: topic.name, partition: Int32($0)) } }
        self.logger = logger
    }

    /// Queries every partition once (blocking up to 2 s per partition).
    func check() {
        for partition in partitions {
            let marks: KafkaWatermarks
            do {
                marks = try client.watermarks(topic: partition.topic, partition: partition.partition, timeout: .seconds(2))
            } catch {
                if failing.insert(partition).inserted {
                    logger.warning("cannot read the start offset of \(partition): \(error)")
                }
                continue
            }
            if failing.remove(partition) != nil {
                logger.info("start offset of \(partition) readable again")
            }
            let previous = lastStart[partition] ?? 0
            lastStart[partition] = marks.low
            if marks.low > previous {
                logger.warning(
                    "partition \(partition) start offset moved from \(previous) to \(marks.low): the dev broker keeps only ~5 MiB per partition and dropped older messages; use more partitions or producer compression (lz4/zstd)",
                    metadata: ["topic": "\(partition.topic)", "partition": "\(partition.partition)",
                               "low": "\(marks.low)", "high": "\(marks.high)"])
            }
        }
    }
}
