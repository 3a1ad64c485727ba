import SluiceKafka
import SluiceTestSupport

/// Small helpers shared by the Kafka tests.
enum KafkaTestSupport {
    static func producer(_ bootstrap: String, compression: String = "lz4", extra: [String: String] = [:]) throws -> KafkaProducer {
        try KafkaProducer(configuration: [
            "bootstrap.servers": bootstrap, "compression.type": compression, "linger.ms": "5",
        ].merging(extra) { _, new in new })
    }

    static func consumer(_ bootstrap: String) throws -> KafkaConsumer {
        try KafkaConsumer(configuration: ["bootstrap.servers": bootstrap])
    }

    /// Polls until `done` says the collected records are complete, failing after `timeout`.
    static func consume(
        _ consumer: KafkaConsumer, timeout: Duration = .seconds(60),
        until done: @escaping ([KafkaRecord], [KafkaTopicPartition: Int64]) -> Bool
    ) async throws -> (records: [KafkaRecord], endOfPartition: [KafkaTopicPartition: Int64]) {
        var records: [KafkaRecord] = []
        var ends: [KafkaTopicPartition: Int64] = [:]
        try await waitUntil("records to arrive", timeout: timeout, interval: .milliseconds(1)) {
            let batch = try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200))
            records.append(contentsOf: batch.records)
            ends.merge(batch.endOfPartition) { _, new in new }
            return done(records, ends)
        }
        return (records, ends)
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
