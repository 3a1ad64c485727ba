import Foundation
import SluiceKafka
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// A job of the user's own, Kafka to Kafka: checkouts read with a declared schema, filtered,
    /// written by `kafka-sink` as JSON keyed by product, at parallelism 2 on two TaskManagers.
    /// Every selected checkout is in the output topic exactly as the input said, records of one
    /// product share a partition, and the sink's counter matches.
    @Suite struct KafkaSinkTests {
        @Test func filteredCheckoutsAreWrittenAsKeyedJSONRecords() async throws {
            let broker = try DevBrokerServer.start(topics: ["checkouts:4", "big-orders:3"])
            defer { broker.stop() }
            let payloads = LibraryJobsTests.events(6_000, minutes: 10, seed: 21, checkouts: true)
            let producer = try KafkaProducer(configuration: ["bootstrap.servers": broker.bootstrapServers])
            var batch = KafkaProducerBatch()
            for payload in payloads { batch.append(partition: KafkaProducer.anyPartition, value: Array(payload.utf8)) }
            try producer.sendBatch(topic: "checkouts", batch)
            try producer.flush(timeout: .seconds(30))
            // What the job must write: the checkouts of 250 or more, with the declared columns.
            let expected = try payloads.compactMap { payload -> [String: String]? in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
                let amount = try #require(object["total_amount"] as? NSNumber).decimalValue
                guard amount >= 250 else { return nil }
                return ["checkout_id": "\(object["checkout_id"]!)", "product_id": "\(object["product_id"]!)", "total_amount": "\(amount)"]
            }
            #expect(expected.count > 500 && expected.count < payloads.count)

            let spec = """
                name: big-orders
                parallelism: 2
                checkpoints: {interval-ms: 500}
                sources:
                  - id: checkouts
                    kind: kafka-source
                    params:
                      topic: checkouts
                      bounded: true
                      schema: "checkout_id string, product_id string, total_amount decimal(12,2), checkout_time timestamp"
                      event-time: checkout_time
                      fields: "checkout_time=datetime_occured"
                operators:
                  - {id: big, kind: filter, inputs: [checkouts], params: {where: "total_amount >= 250"}}
                sinks:
                  - {id: out, kind: kafka-sink, inputs: [big], params: {topic: big-orders, key: product_id}}
                """
            let work = try TemporaryDirectory(prefix: "sluice-kafka-sink")
            defer { work.remove() }
            try await withLocalCluster("kafka-sink", settings: ["SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                                                                "SLUICE_TASKMANAGER_WORK_DIR": work.path]) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let job = try await cluster.rest.submit(spec)
                try await cluster.rest.waitForJobToFinish(job, timeout: .seconds(120))
                let counters = try await cluster.rest.operatorCounters(job)
                #expect(counters["out/records_written"] == expected.count, "\(counters)")
            }

            let consumer = try KafkaConsumer(configuration: ["bootstrap.servers": broker.bootstrapServers])
            try consumer.assign((0..<3).map { KafkaPartitionAssignment(topic: "big-orders", partition: $0, start: .beginning) })
            var written: [(partition: Int32, key: String, value: [String: Any])] = []
            try await waitUntil("\(expected.count) records in big-orders", timeout: .seconds(30), interval: .milliseconds(1)) {
                for record in try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200)).records {
                    let value = try #require(try JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any])
                    written.append((record.partition, String(decoding: record.key ?? [], as: UTF8.self), value))
                }
                return written.count >= expected.count
            }
            #expect(written.count == expected.count, "no record twice without a failure")
            let got = written.map { record in
                ["checkout_id": "\(record.value["checkout_id"]!)", "product_id": "\(record.value["product_id"]!)",
                 "total_amount": "\((record.value["total_amount"] as? NSNumber)?.decimalValue ?? -1)"]
            }
            #expect(Set(got) == Set(expected))
            #expect(written.allSatisfy { $0.value["checkout_time"] is NSNumber }, "timestamps as epoch milliseconds")
            #expect(written.allSatisfy { $0.key == #"{"product_id":"\#($0.value["product_id"]!)"}"# }, "the key is the product as JSON")
            let partitionsPerProduct = Dictionary(grouping: written, by: { $0.key }).mapValues { Set($0.map(\.partition)).count }
            #expect(partitionsPerProduct.values.allSatisfy { $0 == 1 }, "one product, one partition")
        }
    }
}
