import Foundation
import SluiceKafka
import SluicePostgres
import SluiceTestSupport
import Synchronization
import Testing

extension IntegrationSuite {
    /// Watermark status end to end: with the clicks topic silent, the clicks source turns idle
    /// after `idle-timeout-ms`, the attribution's watermark follows the checkouts alone, and the
    /// checkouts are emitted unattributed. Without idleness the silent input would hold the
    /// watermark at its start for ever and no row would ever appear.
    @Suite struct IdleSourceTests {
        @Test func aSilentClicksTopicNoLongerStallsTheCheckouts() async throws {
            let services = try LiveAttributionServices.start(topics: ["clicks:4", "checkouts:4"])
            defer { services.stop() }
            let work = try TemporaryDirectory(prefix: "sluice-idle")
            defer { work.remove() }
            let settings = services.clusterSettings.merging(["SLUICE_TASKMANAGER_WORK_DIR": work.path]) { _, new in new }
            try await withLocalCluster("idle-source", settings: settings) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 2)
                try cluster.startTaskManager(slots: 2)
                try await cluster.waitForTaskManagers(2)
                let job = try await cluster.rest.submit(try LiveAttributionServices.attributionSpec(replacing: [
                    "idle-timeout-ms: 10000": "idle-timeout-ms: 3000", "out-of-orderness-ms: 15000": "out-of-orderness-ms: 2000"]))
                try await cluster.rest.waitForAllTasksRunning(job)

                // Checkouts only, stamped with the wall clock, 200 a second; nothing on clicks.
                let producer = try KafkaProducer(configuration: ["bootstrap.servers": services.broker.bootstrapServers, "linger.ms": "5"])
                let produced = Atomic<Int>(0)
                let stream = Task {
                    let formatter = DateFormatter()
                    formatter.locale = Locale(identifier: "en_US_POSIX")
                    formatter.timeZone = TimeZone(identifier: "UTC")
                    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
                    while !Task.isCancelled {
                        var batch = KafkaProducerBatch()
                        let stamp = formatter.string(from: Date())
                        for _ in 0..<20 {
                            let index = produced.add(1, ordering: .relaxed).newValue
                            batch.append(partition: KafkaProducer.anyPartition, value: Array(#"""
                                {"checkout_id":"idle-\#(index)","user_id":\#(index % 500 + 1),"product_id":"p\#(index % 40)","total_amount":9.5,"datetime_occured":"\#(stamp)"}
                                """#.utf8))
                        }
                        try? producer.sendBatch(topic: "checkouts", batch)
                        producer.poll()
                        // Pacing the stream (20 records per 100 ms, event time = now), not waiting for a state.
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                }
                defer { stream.cancel() }
                let connection = try PostgresConnection.connect(url: services.database.url)
                try await waitUntil("checkouts attributed while the clicks topic is silent", timeout: .seconds(90), interval: .milliseconds(500)) {
                    Int(try connection.execute("SELECT count(*) FROM commerce.attributed_checkouts").value(row: 0, column: 0) ?? "0") ?? 0 >= 200
                }
                let attributed = try connection.execute("SELECT count(*) FROM commerce.attributed_checkouts WHERE click_id IS NOT NULL")
                #expect(attributed.value(row: 0, column: 0) == "0", "no clicks, no attribution")
                let status = try await cluster.rest.get("/jobs/\(job)").object()
                let clicks = (status["vertices"] as? [[String: Any]])?.first { $0["id"] as? String == "clicks" }
                #expect((clicks?["metrics"] as? [String: Any])?["write-records"] as? Int == 0, "the clicks topic stayed silent")
                stream.cancel()
            }
        }
    }
}
