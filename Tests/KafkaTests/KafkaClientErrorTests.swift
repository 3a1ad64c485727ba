import SluiceKafka
import SluiceTestSupport
import Testing

@Suite("Kafka client errors")
struct KafkaClientErrorTests {
    @Test("an unknown configuration property is rejected, naming the property")
    func unknownPropertyIsRejected() throws {
        let error = try #require(throws: KafkaError.self) {
            try KafkaProducer(configuration: ["bootstrap.servers": "127.0.0.1:1", "no.such.property": "1"])
        }
        guard case .invalidConfiguration(let key, _) = error else {
            Issue.record("expected invalidConfiguration, got \(error)")
            return
        }
        #expect(key == "no.such.property")
        #expect(!error.isRetriable)
    }

    @Test("flush with an unreachable broker times out with the undelivered count, retriably")
    func flushTimesOutWhenNoBrokerAnswers() throws {
        let closedPort = try FreePort.next()
        let producer = try KafkaProducer(configuration: [
            "bootstrap.servers": "127.0.0.1:\(closedPort)", "message.timeout.ms": "60000", "log_level": "0",
        ])
        try producer.send(topic: "nowhere", partition: 0, value: Array("lost".utf8))
        let error = try #require(throws: KafkaError.self) { try producer.flush(timeout: .milliseconds(300)) }
        guard case .flushTimedOut(let remaining, _) = error else {
            Issue.record("expected flushTimedOut, got \(error)")
            return
        }
        #expect(remaining == 1)
        #expect(error.isRetriable)
        #expect(!error.isFatal)
        #expect(producer.deliveryCounts.delivered == 0)
    }

    @Test("an in-process mock cluster serves metadata for the topics it created")
    func inProcessMockClusterCreatesTopics() throws {
        let cluster = try KafkaMockCluster(brokers: 2)
        try cluster.createTopic("created", partitions: 3, replicationFactor: 2)
        #expect(cluster.bootstrapServers.split(separator: ",").count == 2)
        let consumer = try KafkaConsumer(configuration: ["bootstrap.servers": cluster.bootstrapServers])
        #expect(try consumer.partitionCount(topic: "created") == 3)
        #expect(try consumer.watermarks(topic: "created", partition: 2) == KafkaWatermarks(low: 0, high: 0))
    }
}
