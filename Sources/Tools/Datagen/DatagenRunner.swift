import Logging
import SluiceKafka

/// Streams the generator's records into Kafka: lz4-compressed, batched (`linger.ms`), keyed
/// by user id so librdkafka's partitioner keeps each user's events in one partition, in the
/// order generated (idempotent producer, so retries cannot reorder them).
///
/// Blocking: call it from a thread that may wait (the CLI's). Stops after `options.events`
/// records, or when `shouldStop` says so (checked every few hundred records), then flushes and
/// fails unless every record was delivered.
public struct DatagenRunner {
    /// How long the final flush may take.
    static let flushTimeout: Duration = .seconds(300)

    public let options: DatagenOptions
    public let bootstrapServers: String
    private let logger: Logger

    public init(options: DatagenOptions, bootstrapServers: String, logger: Logger = Logger(label: "sluice.datagen")) {
        self.options = options
        self.bootstrapServers = bootstrapServers
        self.logger = logger
    }

    /// The producer settings: compression, batching, ordering.
    public var producerConfiguration: [String: String] {
        [
            "bootstrap.servers": bootstrapServers,
            "client.id": "sluice-datagen",
            "compression.type": "lz4",
            "linger.ms": "20",
            "batch.num.messages": "10000",
            "batch.size": "1000000",
            "queue.buffering.max.messages": "500000",
            "queue.buffering.max.kbytes": "1048576",
            "enable.idempotence": "true",
        ]
    }

    /// Produces the records; `progress` is called about every 100 ms (and once at the end).
    public func run(progress: (DatagenProgress) -> Void = { _ in },
                    shouldStop: () -> Bool = { false }) throws -> DatagenSummary {
        try options.validate()
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        for topic in EventTopic.allCases {
            let name = options.name(of: topic)
            do {
                let partitions = try producer.partitionCount(topic: name)
                logger.info("producing to Kafka topic", metadata: ["topic": "\(name)", "partitions": "\(partitions)"])
            } catch {
                throw DatagenError.topicUnavailable(topic: name, bootstrap: bootstrapServers, reason: "\(error)")
            }
        }

        var generator = EventGenerator(options: options)
        var counts = DatagenCounts()
        var batcher = TopicBatcher(producer: producer, topicNames: EventTopic.allCases.map { options.name(of: $0) })
        var payload: [UInt8] = []
        payload.reserveCapacity(1024)
        var key: [UInt8] = []
        let clock = ContinuousClock()
        let start = clock.now
        let pacer = RatePacer(rate: options.rate, start: start)
        var lastProgress = start
        var interrupted = false
        func snapshot() -> DatagenProgress {
            DatagenProgress(counts: counts, delivered: producer.deliveryCounts.delivered,
                            elapsedSeconds: (clock.now - start).inSeconds, target: options.events > 0 ? options.events : nil)
        }
        func reportProgress() {
            guard clock.now - lastProgress >= .milliseconds(100) else { return }
            lastProgress = clock.now
            progress(snapshot())
        }

        while options.events == 0 || counts.records < options.events {
            if options.rate > 0, let wait = pacer.delay(beforeRecord: counts.records) {
                try batcher.sendAll()
                producer.poll(timeout: min(wait, .milliseconds(100)))  // waits, serving delivery reports
                if shouldStop() { interrupted = true; break }
                reportProgress()
                continue
            }
            if counts.records % 256 == 0 {
                if shouldStop() { interrupted = true; break }
                reportProgress()
            }
            let event = generator.next(into: &payload)
            Self.writeDecimal(event.key, into: &key)
            try batcher.append(to: event.topic, key: key, value: payload)
            counts.add(event, bytes: payload.count)
            if options.rate > 0, counts.records % max(1, Int(options.rate / 100)) == 0 {
                try batcher.sendAll()  // at a set rate, hand records over at least every ~10 ms
            }
        }
        try batcher.sendAll()
        do {
            try producer.flush(timeout: Self.flushTimeout)
        } catch {
            let delivery = producer.deliveryCounts
            throw DatagenError.deliveryFailed(reason: "\(error)", delivered: delivery.delivered, failed: delivery.failed)
        }
        let delivery = producer.deliveryCounts
        progress(snapshot())
        var summary = DatagenSummary(counts: counts, delivered: delivery.delivered, failed: delivery.failed,
                                     elapsedSeconds: (clock.now - start).inSeconds, interrupted: interrupted)
        guard delivery.failed == 0, delivery.delivered == counts.records else {
            throw DatagenError.deliveryFailed(reason: "delivery reports: \(delivery.delivered) of \(counts.records) records delivered",
                                              delivered: delivery.delivered, failed: delivery.failed)
        }
        summary.truncatedPartitions = truncatedPartitions()
        return summary
    }

    /// Partitions of both topics whose low watermark is above 0 (best effort: empty on errors).
    private func truncatedPartitions() -> [String] {
        do {
            let consumer = try KafkaConsumer(configuration: ["bootstrap.servers": bootstrapServers, "client.id": "sluice-datagen-check"],
                                             logger: logger)
            var truncated: [String] = []
            for topic in EventTopic.allCases {
                let name = options.name(of: topic)
                for partition in 0..<Int32(try consumer.partitionCount(topic: name)) {
                    let marks = try consumer.watermarks(topic: name, partition: partition)
                    if marks.low > 0 { truncated.append("\(name)[\(partition)] (\(marks.low) records gone)") }
                }
            }
            return truncated
        } catch {
            logger.warning("could not check the topics' low watermarks: \(error)")
            return []
        }
    }

    /// `value` as ASCII decimal digits in `buffer` (replacing its contents).
    static func writeDecimal(_ value: Int64, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        buffer[start...].reverse()
    }
}
