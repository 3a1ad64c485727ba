import Foundation
import SluiceKafka
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// Consumer-group offsets and start positions of `kafka-source`: completed checkpoints publish
    /// their offsets to the job's group (what lag tools read), and a job without a checkpoint
    /// starts where its `start` says: the group's offsets or the end.
    @Suite struct KafkaOffsetsTests {
        static func spec(name: String, start: String) -> String {
            """
            name: \(name)
            parallelism: 2
            checkpoints: {interval-ms: 300}
            sources:
              - id: events
                kind: kafka-source
                params: {topic: events, schema: "id int64, at timestamp", event-time: at, group-id: readers, start: "\(start)"}
            sinks:
              - {id: out, kind: blackhole-sink, inputs: [events]}
            """
        }

        static func produce(_ range: Range<Int>, to bootstrap: String) throws {
            let producer = try KafkaProducer(configuration: ["bootstrap.servers": bootstrap])
            var batch = KafkaProducerBatch()
            for id in range { batch.append(partition: Int32(id % 2), value: Array(#"{"id":\#(id),"at":\#(1_764_000_000_000 + id)}"#.utf8)) }
            try producer.sendBatch(topic: "events", batch)
            try producer.flush(timeout: .seconds(30))
        }

        /// Records the job's source read, once it read everything there is.
        static func recordsRead(_ job: String, _ rest: RESTProbe) async throws -> Int {
            try await rest.waitUntilSourcesCaughtUp(job, sources: 1, timeout: .seconds(60))
            return try await rest.operatorCounters(job)["events/records_read"] ?? 0
        }

        @Test func checkpointsCommitToTheGroupAndJobsStartAtGroupOffsetsOrTheEnd() async throws {
            let broker = try DevBrokerServer.start(topics: ["events:2"])
            defer { broker.stop() }
            try Self.produce(0..<300, to: broker.bootstrapServers)
            let work = try TemporaryDirectory(prefix: "sluice-offsets")
            defer { work.remove() }
            try await withLocalCluster("kafka-offsets", settings: ["SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                                                                   "SLUICE_TASKMANAGER_WORK_DIR": work.path]) { cluster in
                try await cluster.startJobManager()
                try cluster.startTaskManager(slots: 6)  // three jobs of 2 subtasks
                try await cluster.waitForTaskManagers(1)

                // A job from the earliest offsets: once it read all 300, a checkpoint commits 150 + 150.
                let first = try await cluster.rest.submit(Self.spec(name: "first", start: "earliest"))
                #expect(try await Self.recordsRead(first, cluster.rest) == 300)
                let group = try KafkaConsumer(configuration: ["bootstrap.servers": broker.bootstrapServers, "group.id": "readers"])
                try await waitUntil("the group's committed offsets reach the end", timeout: .seconds(30)) {
                    try group.committedOffsets(topic: "events", partitions: [0, 1]) == [0: 150, 1: 150]
                }
                _ = try await cluster.rest.request("/jobs/\(first)?mode=cancel", method: "PATCH")

                // Without a checkpoint, group-offsets continues where the group is: only the new 50.
                try Self.produce(300..<350, to: broker.bootstrapServers)
                let resumed = try await cluster.rest.submit(Self.spec(name: "resumed", start: "group-offsets"))
                #expect(try await Self.recordsRead(resumed, cluster.rest) == 50)

                // latest: only what arrives after the job started.
                let latest = try await cluster.rest.submit(Self.spec(name: "latest", start: "latest"))
                try await cluster.rest.waitForAllTasksRunning(latest)
                try Self.produce(350..<370, to: broker.bootstrapServers)
                #expect(try await Self.recordsRead(latest, cluster.rest) == 20)

                // timestamp:<ms> is not exercised here: librdkafka's mock cluster (the dev broker)
                // answers every ListOffsets-by-time with "none" (a FIXME in its source), so the
                // source starts at the end and logs why; a real Kafka looks the offsets up.
                for job in [resumed, latest] { _ = try await cluster.rest.request("/jobs/\(job)?mode=cancel", method: "PATCH") }
            }
        }
    }
}
