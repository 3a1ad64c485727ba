import SluiceKafka
import SluiceTestSupport
import Testing

@Suite("Kafka producer and consumer against the dev broker", .devBroker(topics: ["roundtrip:8", "single:4", "marks:2", "eof:1", "offsets:1"]))
struct KafkaRoundTripTests {
    @Test("100,000 compressed messages come back exactly once per partition, in order")
    func hundredThousandMessagesRoundTripExactlyOnceInOrder() async throws {
        let broker = try DevBrokerTrait.broker()
        let total = 100_000
        let partitions = 8
        let producer = try KafkaTestSupport.producer(broker.bootstrapServers, compression: "lz4")
        var batch = KafkaProducerBatch(reservingMessages: 10_000, bytes: 400_000)
        for sequence in 0..<total {
            batch.append(partition: Int32(sequence % partitions), key: "user-\(sequence % 97)".utf8, value: "seq=\(sequence)".utf8)
            if batch.count == 10_000 {
                try producer.sendBatch(topic: "roundtrip", batch)
                batch.removeAll()
            }
        }
        try producer.sendBatch(topic: "roundtrip", batch)
        try producer.flush(timeout: .seconds(60))
        #expect(producer.deliveryCounts == KafkaProducer.DeliveryCounts(delivered: total, failed: 0, pending: 0))

        let consumer = try KafkaTestSupport.consumer(broker.bootstrapServers)
        try consumer.assign((0..<partitions).map { KafkaPartitionAssignment(topic: "roundtrip", partition: Int32($0), start: .beginning) })
        let (records, _) = try await KafkaTestSupport.consume(consumer) { records, _ in records.count >= total }

        #expect(records.count == total)
        var byPartition: [Int32: [KafkaRecord]] = [:]
        for record in records { byPartition[record.partition, default: []].append(record) }
        #expect(byPartition.keys.sorted() == (0..<Int32(partitions)).map { $0 })
        for (partition, received) in byPartition {
            let expected = stride(from: Int(partition), to: total, by: partitions).map { "seq=\($0)" }
            #expect(received.map { KafkaTestSupport.text($0.value) } == expected, "partition \(partition) values")
            #expect(received.map(\.offset) == (0..<Int64(expected.count)).map { $0 }, "partition \(partition) offsets")
        }
        let first = try #require(byPartition[0]?.first)
        #expect(first.topic == "roundtrip")
        #expect(first.key.map(KafkaTestSupport.text) == "user-0")
        #expect(first.timestamp != nil)
    }

    @Test("single sends with zstd, keyless and empty values survive the round trip")
    func singleSendsWithZstdRoundTrip() async throws {
        let broker = try DevBrokerTrait.broker()
        let producer = try KafkaTestSupport.producer(broker.bootstrapServers, compression: "zstd")
        let messages: [(partition: Int32, key: [UInt8]?, value: [UInt8])] = [
            (0, Array("k0".utf8), Array("zero".utf8)),
            (1, nil, Array("no key".utf8)),
            (2, Array("k2".utf8), []),
            (3, [], Array("empty key".utf8)),
        ]
        for message in messages {
            try producer.send(topic: "single", partition: message.partition, key: message.key, value: message.value)
        }
        try producer.flush(timeout: .seconds(30))

        let consumer = try KafkaTestSupport.consumer(broker.bootstrapServers)
        try consumer.assign((0..<4).map { KafkaPartitionAssignment(topic: "single", partition: $0, start: .beginning) })
        let (records, _) = try await KafkaTestSupport.consume(consumer, timeout: .seconds(30)) { records, _ in records.count >= messages.count }
        let received = records.sorted { $0.partition < $1.partition }
        #expect(received.map(\.partition) == messages.map(\.partition))
        #expect(received.map(\.key) == messages.map(\.key))
        #expect(received.map(\.value) == messages.map(\.value))
    }

    @Test("watermarks span exactly the produced messages and metadata reports the partition count")
    func watermarksAndPartitionCount() throws {
        let broker = try DevBrokerTrait.broker()
        let producer = try KafkaTestSupport.producer(broker.bootstrapServers)
        for index in 0..<10 { try producer.send(topic: "marks", partition: 0, value: Array("a\(index)".utf8)) }
        for index in 0..<3 { try producer.send(topic: "marks", partition: 1, value: Array("b\(index)".utf8)) }
        try producer.flush(timeout: .seconds(30))

        let consumer = try KafkaTestSupport.consumer(broker.bootstrapServers)
        #expect(try consumer.watermarks(topic: "marks", partition: 0) == KafkaWatermarks(low: 0, high: 10))
        #expect(try consumer.watermarks(topic: "marks", partition: 1) == KafkaWatermarks(low: 0, high: 3))
        #expect(try consumer.partitionCount(topic: "marks") == 2)
        #expect(try producer.partitionCount(topic: "roundtrip") == 8)
    }

    @Test("a bounded reader learns it reached the end of a partition after the last record")
    func partitionEndIsReportedAfterLastRecord() async throws {
        let broker = try DevBrokerTrait.broker()
        let producer = try KafkaTestSupport.producer(broker.bootstrapServers)
        for index in 0..<5 { try producer.send(topic: "eof", partition: 0, value: Array("m\(index)".utf8)) }
        try producer.flush(timeout: .seconds(30))

        let consumer = try KafkaTestSupport.consumer(broker.bootstrapServers)
        try consumer.assign([KafkaPartitionAssignment(topic: "eof", partition: 0, start: .beginning)])
        let eof = KafkaTopicPartition(topic: "eof", partition: 0)
        let (records, ends) = try await KafkaTestSupport.consume(consumer, timeout: .seconds(30)) { _, ends in ends[eof] != nil }
        #expect(records.map { KafkaTestSupport.text($0.value) } == ["m0", "m1", "m2", "m3", "m4"])
        #expect(ends[eof] == 5)
    }

    @Test("assigning an explicit offset skips the records before it")
    func explicitStartOffsetSkipsEarlierRecords() async throws {
        let broker = try DevBrokerTrait.broker()
        let producer = try KafkaTestSupport.producer(broker.bootstrapServers)
        for index in 0..<6 { try producer.send(topic: "offsets", partition: 0, value: Array("r\(index)".utf8)) }
        try producer.flush(timeout: .seconds(30))

        let consumer = try KafkaTestSupport.consumer(broker.bootstrapServers)
        try consumer.assign([KafkaPartitionAssignment(topic: "offsets", partition: 0, start: .offset(4))])
        let end = KafkaTopicPartition(topic: "offsets", partition: 0)
        let (records, _) = try await KafkaTestSupport.consume(consumer, timeout: .seconds(30)) { _, ends in ends[end] != nil }
        #expect(records.map(\.offset) == [4, 5])
        #expect(records.map { KafkaTestSupport.text($0.value) } == ["r4", "r5"])
    }
}
