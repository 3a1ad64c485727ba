import Foundation
import SluiceKafka
import SluicePostgres
import SluiceTestSupport
import Testing

extension IntegrationSuite {
    /// The jobs built from library operators over declared schemas (jobs/product-revenue.yaml,
    /// jobs/trending-products.yaml), as shipped but with bounded, throttled sources: 2 of 3
    /// TaskManagers run them at parallelism 2, exactly once, and one TaskManager running the
    /// job is SIGKILLed mid-run. The sink table must equal what plain SQL computes over the same
    /// events (loaded into PostgreSQL as JSON), and every malformed record must be dead-lettered.
    @Suite struct LibraryJobsTests {
        /// Seeded events around 2026-11-20 00:00 UTC: `count` records over `minutes` of event time,
        /// delivered with up to 3 s of disorder (less than the jobs' 15 s out-of-orderness, so no
        /// row is late and the SQL reference needs no knowledge of watermarks).
        static func events(_ count: Int, minutes: Int, seed: UInt64, checkouts: Bool) -> [String] {
            var random = SplitMix64(seed: seed)
            let start: Int64 = 1_795_132_800_000  // 2026-11-20 00:00:00 UTC
            let span = Int64(minutes) * 60_000
            var timed: [(arrival: Int64, json: String)] = []
            for index in 0..<count {
                let time = start + span * Int64(index) / Int64(count) + Int64(random.next() % 200)
                // A few hot products so the rankings have clear leaders, a long tail for ties.
                let product = random.next() % 3 == 0 ? "p\(random.next() % 8)" : "p\(random.next() % 400)"
                let stamp = Self.format(time)
                let json = checkouts
                    ? #"{"checkout_id":"o-\#(index)","user_id":\#(random.next() % 5_000),"product_id":"\#(product)","#
                        + #""payment_method":"card","total_amount":\#(random.next() % 50_000 / 100).\#(String(format: "%02d", Int(random.next() % 100))),"#
                        + #""datetime_occured":"\#(stamp)"}"#
                    : #"{"click_id":"c-\#(index)","user_id":\#(random.next() % 5_000),"product_id":"\#(product)","url":"/p","datetime_occured":"\#(stamp)"}"#
                timed.append((time + Int64(random.next() % 3_000), json))
            }
            return timed.sorted { $0.arrival < $1.arrival }.map(\.json)
        }

        static func format(_ millis: Int64) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
            return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
        }

        /// Records no schema can read, one per kind of breakage.
        static let malformed = [#"{"checkout_id":"x","product_id":"p1","total_amount":1.00,"datetime_occured":"2026-11-20 00:00"#,
                                #"not json at all"#, #"{"click_id":"x","product_id":"p1","datetime_occured":"yesterday"}"#,
                                #"{"checkout_id":"x","click_id":"x","product_id":7.5,"total_amount":"1e3","datetime_occured":12}"#]

        /// Runs `spec` (the shipped YAML with its source made bounded and throttled) over `payloads`
        /// produced to `topic`, kills one TaskManager running it after its first checkpoint, and
        /// returns a connection to the database once the job finished.
        static func run(job: String, topic: String, payloads: [String], throttle: Int, editing edit: (String) -> String = { $0 },
                        _ judge: (PostgresConnection, [String: String]) throws -> Void) async throws {
            let broker = try DevBrokerServer.start(topics: ["\(topic):4"])
            defer { broker.stop() }
            let database = try PostgresServer.start()
            defer { database.stop() }
            let work = try TemporaryDirectory(prefix: "sluice-tm-work")
            defer { work.remove() }
            let connection = try PostgresConnection.connect(url: database.url)
            _ = try connection.simpleQuery(try RepositoryLayout.schemaSQL())
            let producer = try KafkaProducer(configuration: ["bootstrap.servers": broker.bootstrapServers, "linger.ms": "5"])
            for (index, payload) in payloads.enumerated() {
                try producer.send(topic: topic, partition: Int32(index % 4), value: Array(payload.utf8))
                if index % 1_000 == 0 { _ = producer.poll() }
            }
            try producer.flush(timeout: .seconds(30))
            _ = try connection.simpleQuery("CREATE TABLE ref_raw (payload TEXT NOT NULL)")
            _ = try connection.copyIn(table: "ref_raw", columns: ["payload"], rows: payloads.map { [$0] })

            let shipped = try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/\(job).yaml"), encoding: .utf8)
            let spec = edit(shipped)
                .replacingOccurrences(of: "      topic: \(topic)\n", with: "      topic: \(topic)\n      bounded: true\n      max-records-per-second: \(throttle)\n")
                .replacingOccurrences(of: "interval-ms: 2000", with: "interval-ms: 1000")
            try #require(spec.contains("bounded: true") && spec.contains("interval-ms: 1000"), "the shipped spec changed shape:\n\(shipped)")
            let settings = ["SLUICE_POSTGRES_URL": database.url, "SLUICE_KAFKA_BOOTSTRAP": broker.bootstrapServers,
                            "SLUICE_TASKMANAGER_WORK_DIR": work.path]
            try await withLocalCluster(job, settings: settings, removeFilesOnSuccess: true) { cluster in
                try await cluster.startJobManager()
                for _ in 0..<3 { try cluster.startTaskManager(slots: 2) }
                try await cluster.waitForTaskManagers(3)
                let jobID = try await cluster.rest.submit(spec)
                try await cluster.rest.waitForAllTasksRunning(jobID)
                _ = try await cluster.rest.waitForCheckpoint(jobID, after: nil)
                let busy = try await waitFor("a TaskManager running job \(jobID)") {
                    try await cluster.rest.jobProgress(jobID).ensureCanReach("a TaskManager to kill")
                    return try await cluster.rest.taskManagers().first { $0.usedSlots > 0 }
                }
                let victim = try #require(cluster.taskManager(pid: busy.pid), "the busy TaskManager is one this test started")
                try await victim.kill()
                let finished = try await cluster.rest.waitForJobToFinish(jobID, timeout: .seconds(240))
                #expect(finished.numRestarts >= 1, "the kill cost a failover")
                let deadLetters = try connection.execute("SELECT count(*) FROM commerce.dead_letters WHERE topic = $1", [topic])
                #expect(deadLetters.value(row: 0, column: 0) == "\(malformedCount(in: payloads))", "every malformed record, once")
                let late = try connection.execute("SELECT count(*) FROM sluice.late_rows").value(row: 0, column: 0)
                #expect(late == nil || late == "0", "no row was late (disorder < out-of-orderness)")
                try judge(connection, settings)
            }
        }

        static func malformedCount(in payloads: [String]) -> Int { payloads.filter(malformed.contains).count }

        /// Rows of `query` as text, sorted, for a readable diff.
        static func rows(_ connection: PostgresConnection, _ query: String) throws -> [String] {
            try connection.execute(query).rows.map { $0.map { $0 ?? "NULL" }.joined(separator: " | ") }.sorted()
        }

        static func requireEqual(_ actual: [String], _ expected: [String], _ what: String) throws {
            let missing = Set(expected).subtracting(actual), extra = Set(actual).subtracting(expected)
            try #require(!expected.isEmpty, "the reference of \(what) is not empty")
            try #require(missing.isEmpty && extra.isEmpty && actual.count == expected.count,
                         "\(what): \(actual.count) rows vs \(expected.count) expected; missing \(missing.sorted().prefix(5)), extra \(extra.sorted().prefix(5))")
        }

        @Test func productRevenuePerMinuteEqualsSQLOverTheSameCheckouts() async throws {
            var payloads = Self.events(40_000, minutes: 45, seed: 41, checkouts: true)
            for (offset, bad) in Self.malformed.enumerated() { payloads.insert(bad, at: 1_000 * (offset + 1)) }
            try await Self.run(job: "product-revenue", topic: "checkouts", payloads: payloads, throttle: 2_500) { connection, _ in
                let expected = try Self.rows(connection, """
                    WITH valid AS (SELECT payload::jsonb AS j FROM ref_raw WHERE payload LIKE '{"checkout_id":"o-%')
                    SELECT j->>'product_id', date_bin('1 minute', (j->>'datetime_occured')::timestamp, '2000-01-01')::text,
                           sum((j->>'total_amount')::numeric)::numeric(18,2)::text, count(*)::text
                    FROM valid GROUP BY 1, 2
                    """)
                let actual = try Self.rows(connection, """
                    SELECT product_id, window_start::text, revenue::text, checkouts::text FROM commerce.product_revenue_minutely
                    """)
                try Self.requireEqual(actual, expected, "commerce.product_revenue_minutely")
                let ends = try connection.execute(
                    "SELECT count(*) FROM commerce.product_revenue_minutely WHERE window_end <> window_start + interval '1 minute'")
                #expect(ends.value(row: 0, column: 0) == "0")
            }
        }

        @Test func aFilterAndAProjectionInFrontOfTheWindowAgreeWithSQL() async throws {
            let payloads = Self.events(20_000, minutes: 20, seed: 47, checkouts: true)
            let edit = { (spec: String) in
                spec.replacingOccurrences(of: "operators:\n", with: """
                    operators:
                      - {id: big, kind: filter, inputs: [checkouts], params: {where: "total_amount >= 100 and product_id != 'p1'"}}
                      - {id: slim, kind: project, inputs: [big], params: {columns: "checkout_time, product_id, total_amount as amount"}}

                    """)
                .replacingOccurrences(of: "    inputs: [checkouts]\n    key-by: [product_id]", with: "    inputs: [slim]\n    key-by: [product_id]")
                .replacingOccurrences(of: "revenue=sum(total_amount)", with: "revenue=sum(amount)")
            }
            try #require(edit(try String(contentsOf: RepositoryLayout.root.appendingPathComponent("jobs/product-revenue.yaml"), encoding: .utf8))
                .contains("inputs: [slim]"), "the shipped spec changed shape")
            try await Self.run(job: "product-revenue", topic: "checkouts", payloads: payloads, throttle: 2_000, editing: edit) { connection, _ in
                let expected = try Self.rows(connection, """
                    WITH valid AS (SELECT payload::jsonb AS j FROM ref_raw WHERE payload LIKE '{"checkout_id":"o-%')
                    SELECT j->>'product_id', date_bin('1 minute', (j->>'datetime_occured')::timestamp, '2000-01-01')::text,
                           sum((j->>'total_amount')::numeric)::numeric(18,2)::text, count(*)::text
                    FROM valid WHERE (j->>'total_amount')::numeric >= 100 AND j->>'product_id' <> 'p1' GROUP BY 1, 2
                    """)
                let actual = try Self.rows(connection, """
                    SELECT product_id, window_start::text, revenue::text, checkouts::text FROM commerce.product_revenue_minutely
                    """)
                try Self.requireEqual(actual, expected, "commerce.product_revenue_minutely behind the filter")
            }
        }

        @Test func trendingProductsAreTheTopFiveOfSQLRankings() async throws {
            var payloads = Self.events(60_000, minutes: 60, seed: 43, checkouts: false)
            for (offset, bad) in Self.malformed.enumerated() { payloads.insert(bad, at: 1_500 * (offset + 1)) }
            try await Self.run(job: "trending-products", topic: "clicks", payloads: payloads, throttle: 3_500) { connection, _ in
                let expected = try Self.rows(connection, """
                    WITH valid AS (SELECT payload::jsonb AS j FROM ref_raw WHERE payload LIKE '{"click_id":"c-%'),
                    counts AS (
                        SELECT j->>'product_id' AS product_id,
                               date_bin('10 minutes', (j->>'datetime_occured')::timestamp, '2000-01-01') AS window_start, count(*) AS clicks
                        FROM valid GROUP BY 1, 2),
                    ranked AS (
                        SELECT *, row_number() OVER (PARTITION BY window_start ORDER BY clicks DESC, product_id COLLATE "C") AS rank FROM counts)
                    SELECT window_start::text, rank::text, product_id, clicks::text FROM ranked WHERE rank <= 5
                    """)
                let actual = try Self.rows(connection, """
                    SELECT window_start::text, rank::text, product_id, clicks::text FROM commerce.trending_products
                    """)
                try Self.requireEqual(actual, expected, "commerce.trending_products")
            }
        }
    }
}
