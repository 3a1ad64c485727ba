import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import SluicePostgres
import SluiceTools
import Testing

@Suite("sluice verify against a real PostgreSQL and dev broker", .serialized, .verifyFixture(GeneratorFixtures.endToEnd))
struct VerifyEndToEndTests {
    @Test("verify passes when the sink holds the brute-force attribution and every malformed record is a dead letter")
    func passesOnCorrectOutput() throws {
        let fixture = try VerifyFixtureTrait.fixture()
        try fixture.writeCorrectOutput()
        let report = try fixture.verify()
        let counts = fixture.summary.counts
        let equal = report.isEqual
        #expect(equal, "\(report.lines.joined(separator: "\n"))")
        #expect(report.rows.expected == counts.checkouts)
        #expect(report.rows.equal == counts.checkouts)
        #expect(report.validClicks == counts.clicks)
        #expect(report.deadLetters.expected == counts.malformed)
        #expect(report.deadLetters.found == counts.malformed)
        #expect(report.rows.unknownUsers >= counts.unknownUserCheckouts)
        #expect(report.rows.attributed > 0 && report.rows.unattributed > 0)
        #expect(report.truncatedPartitions.isEmpty)
        // The data exercises the edge cases the oracle must get right.
        #expect(fixture.coverage.checkoutsAfterARename > 0)
        #expect(fixture.coverage.checkoutsBeforeARename > 0)
        #expect(fixture.coverage.checkoutsWithOnlyOlderClicks > 0)
        #expect(fixture.coverage.checkoutsWithSeveralClicksInWindow > 0)
    }

    @Test("verify reports exactly one different, one missing and one extra row after the sink is tampered with")
    func reportsTamperedRows() throws {
        let fixture = try VerifyFixtureTrait.fixture()
        try fixture.writeCorrectOutput()
        let connection = try fixture.connect()
        let attributed = try #require(try connection.simpleQuery(
            "SELECT checkout_id FROM commerce.attributed_checkouts WHERE click_id IS NOT NULL ORDER BY checkout_id LIMIT 2").rows
            .compactMap { $0[0] }.nilIfNotPair)
        try connection.execute("UPDATE commerce.attributed_checkouts SET click_id = 'not-the-first-click' WHERE checkout_id = $1", [attributed.0])
        try connection.execute("DELETE FROM commerce.attributed_checkouts WHERE checkout_id = $1", [attributed.1])
        try connection.execute("""
            INSERT INTO commerce.attributed_checkouts (checkout_id, user_name, click_id, product_id, total_amount, checkout_time, user_id)
            VALUES ('made-up-checkout', NULL, NULL, 'P00001', 9.99, $1, 1)
            """, [EventTimeFormat.format(fixture.options.startTime + 60_000)])

        let report = try fixture.verify()
        #expect(!report.isEqual)
        #expect(report.rows.different == 1)
        #expect(report.rows.missing == 1)
        #expect(report.rows.extra == 1)
        #expect(report.differentExamples.count == 1)
        #expect(report.differentExamples.first?.contains("click_id expected") == true)
        #expect(report.differentExamples.first?.contains(attributed.0) == true)
        #expect(report.missingExamples.first?.contains(attributed.1) == true)
        #expect(report.extraExamples.first?.contains("made-up-checkout") == true)
        #expect(report.deadLetters.missing == 0 && report.deadLetters.extra == 0)
    }

    @Test("rows newer than a running job's watermark are not yet due, not missing; older absent rows stay missing")
    func rowsNewerThanTheWatermarkAreNotYetDue() throws {
        let fixture = try VerifyFixtureTrait.fixture()
        try fixture.writeCorrectOutput()
        let connection = try fixture.connect()
        let times = try connection.simpleQuery(
            "SELECT (extract(epoch FROM checkout_time) * 1000)::bigint FROM commerce.attributed_checkouts ORDER BY checkout_time, checkout_id")
            .rows.compactMap { $0[0].flatMap { Int64($0) } }
        #expect(times.count > 100)
        let watermark = times[times.count - 30]
        // The job has not emitted what is newer than its watermark yet; one older row is truly lost.
        let notYetEmitted = try connection.simpleQuery(
            "DELETE FROM commerce.attributed_checkouts WHERE checkout_time > to_timestamp(\(watermark) / 1000.0) AT TIME ZONE 'UTC' RETURNING 1").rows.count
        try connection.simpleQuery("DELETE FROM commerce.attributed_checkouts WHERE checkout_id = "
            + "(SELECT checkout_id FROM commerce.attributed_checkouts ORDER BY checkout_time LIMIT 1)")
        #expect(notYetEmitted > 0)

        let report = try fixture.verify(watermarkMillis: watermark)
        #expect(report.rows.notDue == notYetEmitted, "\(report.lines.joined(separator: "\n"))")
        #expect(report.rows.missing == 1)
        #expect(report.lines.contains { $0.hasPrefix("not yet due: \(notYetEmitted) expected checkouts") })

        try fixture.writeCorrectOutput()
        let hinted = try connection.simpleQuery(
            "DELETE FROM commerce.attributed_checkouts WHERE checkout_time > to_timestamp(\(watermark) / 1000.0) AT TIME ZONE 'UTC' RETURNING 1").rows.count
        let withoutJob = try fixture.verify()
        #expect(withoutJob.rows.missing == hinted && !withoutJob.isEqual)
        #expect(withoutJob.lines.contains { $0.hasPrefix("hint: if the job still runs") })
        try fixture.writeCorrectOutput()
    }

    @Test("verify reports a dead letter the engine failed to write, and one it wrote for a valid record")
    func reportsDeadLetterMismatches() throws {
        let fixture = try VerifyFixtureTrait.fixture()
        try fixture.writeCorrectOutput()
        let connection = try fixture.connect()
        try connection.simpleQuery("""
            DELETE FROM commerce.dead_letters WHERE (topic, "partition", "offset") IN
                (SELECT topic, "partition", "offset" FROM commerce.dead_letters ORDER BY topic, "partition", "offset" LIMIT 1)
            """)
        try connection.simpleQuery("""
            INSERT INTO commerce.dead_letters (topic, "partition", "offset", payload, reason)
            SELECT 'clicks', p, o, '\\x00', 'wrongly refused' FROM (VALUES (0, 0), (1, 0), (2, 0), (3, 0)) v(p, o)
            ON CONFLICT DO NOTHING
            """)
        let inserted = try connection.simpleQuery("SELECT count(*) FROM commerce.dead_letters WHERE reason = 'wrongly refused'").rows[0][0]

        let report = try fixture.verify()
        #expect(!report.isEqual)
        #expect(report.deadLetters.missing == 1)
        #expect(report.deadLetters.extra == Int(inserted ?? "") ?? -1)
        #expect(report.extraDeadLetterExamples.allSatisfy { $0.contains("a valid event per SQL") })
        #expect(report.rows.missing == 0 && report.rows.extra == 0 && report.rows.different == 0)
    }

    @Test("a checkout the engine set aside as late counts as accounted for, not as missing")
    func lateCheckoutIsAccountedFor() throws {
        let fixture = try VerifyFixtureTrait.fixture()
        try fixture.writeCorrectOutput()
        let connection = try fixture.connect()
        try connection.simpleQuery("""
            WITH gone AS (DELETE FROM commerce.attributed_checkouts
                          WHERE checkout_id = (SELECT min(checkout_id) FROM commerce.attributed_checkouts)
                          RETURNING checkout_id, user_id, product_id, checkout_time)
            INSERT INTO commerce.late_events (kind, event_id, user_id, product_id, event_time, watermark, reason)
            SELECT 'checkout', checkout_id, user_id, product_id, checkout_time, checkout_time + interval '1 minute', 'test' FROM gone
            """)
        let report = try fixture.verify()
        let equal = report.isEqual
        #expect(equal, "\(report.lines.joined(separator: "\n"))")
        #expect(report.rows.late == 1)
        #expect(report.rows.missing == 0)
    }

    @Test("a different row is explained, not failed, when a late click of that user and product fell in its window")
    func lateClickExplainsADifference() throws {
        let fixture = try VerifyFixtureTrait.fixture()
        try fixture.writeCorrectOutput()
        let connection = try fixture.connect()
        try connection.simpleQuery("""
            WITH changed AS (UPDATE commerce.attributed_checkouts SET click_id = NULL, click_time = NULL
                             WHERE checkout_id = (SELECT min(checkout_id) FROM commerce.attributed_checkouts WHERE click_id IS NOT NULL)
                             RETURNING checkout_id, user_id, product_id, checkout_time)
            INSERT INTO commerce.late_events (kind, event_id, user_id, product_id, event_time, watermark, reason)
            SELECT 'click', 'late-click', user_id, product_id, checkout_time - interval '1 second', checkout_time, 'test' FROM changed
            """)
        let report = try fixture.verify()
        let equal = report.isEqual
        #expect(equal, "\(report.lines.joined(separator: "\n"))")
        #expect(report.rows.differentExplainedByLateClicks == 1)
        #expect(report.rows.different == 0)
    }
}

private extension Array {
    /// The first two elements, if there are exactly two.
    var nilIfNotPair: (Element, Element)? { count == 2 ? (self[0], self[1]) : nil }
}
