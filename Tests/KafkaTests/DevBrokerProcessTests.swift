import Foundation
import SluiceKafka
import SluiceTestSupport
import Testing

@Suite("devbroker process")
struct DevBrokerProcessTests {
    @Test("the broker warns when a partition drops its oldest data")
    func warnsWhenPartitionStartOffsetMoves() async throws {
        let broker = try DevBrokerServer.start(topics: ["overflow:1"], checkIntervalSeconds: 1)
        defer { broker.stop() }
        // ~8 MiB of incompressible values into one partition: more than the mock keeps (~5 MiB).
        let producer = try KafkaProducer(configuration: ["bootstrap.servers": broker.bootstrapServers, "compression.type": "none"])
        var generator = SystemRandomNumberGenerator()
        var batch = KafkaProducerBatch(reservingMessages: 1_000, bytes: 1_100_000)
        for _ in 0..<8 {
            for _ in 0..<1_000 {
                batch.append(partition: 0, value: (0..<1_024).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            try producer.sendBatch(topic: "overflow", batch)
            batch.removeAll()
        }
        try producer.flush(timeout: .seconds(60))

        let consumer = try KafkaConsumer(configuration: ["bootstrap.servers": broker.bootstrapServers])
        let marks = try consumer.watermarks(topic: "overflow", partition: 0)
        #expect(marks.high == 8_000)
        #expect(marks.low > 0, "the mock should have dropped old messages")
        try await waitUntil("the start-offset warning in the devbroker log", timeout: .seconds(15)) {
            broker.log().contains("warning") && broker.log().contains("partition overflow[0] start offset moved")
        }
    }

    @Test("on SIGTERM the broker exits cleanly and removes its bootstrap file")
    func sigtermEndsProcessAndRemovesBootstrapFile() async throws {
        let broker = try DevBrokerServer.start(topics: ["t:1"])
        defer { broker.stop() }
        let bootstrapFile = broker.directory.url.appendingPathComponent("kafka.bootstrap").path
        let pid = try #require(broker.pid)
        #expect(Self.isRunning(pid))
        #expect(FileManager.default.fileExists(atPath: bootstrapFile))

        #expect(kill(pid, SIGTERM) == 0)
        try await waitUntil("devbroker (pid \(pid)) to exit after SIGTERM") { !Self.isRunning(pid) }
        #expect(!FileManager.default.fileExists(atPath: bootstrapFile))
        #expect(broker.log().contains("stopping mock Kafka cluster"))
    }

    /// Whether `pid` is a live process (zombies count as exited).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }
}
