import Foundation
import SluiceKafka
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// `file-sink`, exactly once through a failover: a throttled, bounded Kafka read at p=2 on
    /// 2 of 3 TaskManagers writes rows into part files; one TaskManager running the job is
    /// SIGKILLed after the first checkpoint. The final part files hold every input row exactly
    /// once, no in-progress file of a failed attempt is left, and nothing else is in the directory.
    @Suite struct FileSinkTests {
        @Test func partFilesHoldEveryRowExactlyOnceAfterATaskManagerIsKilled() async throws {
            let broker = try DevBrokerServer.start(topics: ["orders:4"])
            defer { broker.stop() }
            let count = 12_000
            let producer = try KafkaProducer(configuration: ["bootstrap.servers": broker.bootstrapServers])
            var batch = KafkaProducerBatch()
            for id in 0..<count {
                batch.append(partition: Int32(id % 4), value: Array(#"{"id":\#(id),"product":"p\#(id % 37)","at":\#(1_764_000_000_000 + id * 10)}"#.utf8))
            }
            try producer.sendBatch(topic: "orders", batch)
            try producer.flush(timeout: .seconds(30))
            let output = try TemporaryDirectory(prefix: "sluice-file-sink")
            defer { output.remove() }
            let spec = """
                name: orders-to-files
                parallelism: 2
                checkpoints: {interval-ms: 500}
                restart: {initial-backoff-ms: 100}
                sources:
                  - id: orders
                    kind: kafka-source
                    params: {topic: orders, bounded: true, max-records-per-second: 1000,
                             schema: "id int64, product string, at timestamp", event-time: at}
                sinks:
                  - {id: files, kind: file-sink, inputs: [orders], params: {path: "\(output.path)/out"}}
                """
            let work = try TemporaryDirectory(prefix: "sluice-file-sink-tm")
            defer { work.remove() }
            try await withLocalCluster("file-sink", settings: ["SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                                                               "SLUICE_TASKMANAGER_WORK_DIR": work.path]) { cluster in
                try await cluster.startJobManager()
                for _ in 0..<3 { try cluster.startTaskManager(slots: 1) }
                try await cluster.waitForTaskManagers(3)
                let job = try await cluster.rest.submit(spec)
                try await cluster.rest.waitForAllTasksRunning(job)
                _ = try await cluster.rest.waitForCheckpoint(job, after: nil)
                let busy = try await waitFor("a TaskManager running the job") {
                    try await cluster.rest.taskManagers().first { $0.usedSlots > 0 }
                }
                let victim = try #require(cluster.taskManager(pid: busy.pid))
                try await victim.kill()
                let finished = try await cluster.rest.waitForJobToFinish(job, timeout: .seconds(120))
                #expect(finished.numRestarts >= 1, "the kill cost a failover")
            }

            let directory = output.url.appendingPathComponent("out")
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(!names.contains { $0.hasSuffix(".inprogress") }, "no in-progress part is left: \(names)")
            #expect(names.allSatisfy { $0.hasPrefix("part-") && $0.hasSuffix(".jsonl") }, "\(names)")
            var ids: [Int] = []
            for name in names {
                let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
                for line in text.split(separator: "\n") {
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    let id = try #require(object["id"] as? Int)
                    #expect(object["product"] as? String == "p\(id % 37)" && object["at"] as? Int == 1_764_000_000_000 + id * 10)
                    ids.append(id)
                }
            }
            #expect(ids.count == count, "\(ids.count) rows in \(names.count) files for \(count) input rows")
            #expect(Set(ids) == Set(0..<count), "every row once: missing \(Set(0..<count).subtracting(ids).count)")
        }
    }
}
