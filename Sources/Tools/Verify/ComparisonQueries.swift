/// The SQL that diffs the oracle's expected rows against the sink table and the malformed
/// records against `commerce.dead_letters`.
enum ComparisonQueries {
    /// The sink's columns, in the order the report shows them (DESIGN.md §7).
    static let columns = ["checkout_id", "user_name", "click_id", "product_id", "payment_method", "total_amount",
                          "shipping_address", "billing_address", "user_agent", "ip_address", "checkout_time", "click_time", "user_id"]

    /// A consistent copy of the sink, and the late events the engine set aside.
    static func snapshot(sinkTable: String, lateEventsExist: Bool) -> String {
        let late = lateEventsExist
            ? """
              CREATE TEMP TABLE verify_late_checkouts AS SELECT DISTINCT event_id FROM commerce.late_events WHERE kind = 'checkout';
              CREATE TEMP TABLE verify_late_clicks AS
                  SELECT user_id, product_id, event_time FROM commerce.late_events WHERE kind = 'click';
              """
            : """
              CREATE TEMP TABLE verify_late_checkouts (event_id TEXT);
              CREATE TEMP TABLE verify_late_clicks (user_id BIGINT, product_id TEXT, event_time TIMESTAMP(3));
              """
        return """
            CREATE TEMP TABLE verify_sink AS
            SELECT \(columns.joined(separator: ", ")) FROM \(sinkTable);
            CREATE INDEX ON verify_sink (checkout_id);
            \(late)
            CREATE INDEX ON verify_late_checkouts (event_id);
            ANALYZE verify_sink
            """
    }

    /// Any compared column differs (amounts compared as numbers at the sink's two decimals).
    private static let differs = """
        e.user_name IS DISTINCT FROM s.user_name OR e.click_id IS DISTINCT FROM s.click_id
        OR e.product_id IS DISTINCT FROM s.product_id OR e.payment_method IS DISTINCT FROM s.payment_method
        OR round(e.total_amount, 2) IS DISTINCT FROM s.total_amount
        OR e.shipping_address IS DISTINCT FROM s.shipping_address OR e.billing_address IS DISTINCT FROM s.billing_address
        OR e.user_agent IS DISTINCT FROM s.user_agent OR e.ip_address IS DISTINCT FROM s.ip_address
        OR e.checkout_time IS DISTINCT FROM s.checkout_time OR e.click_time IS DISTINCT FROM s.click_time
        OR e.user_id IS DISTINCT FROM s.user_id
        """

    /// One outcome per expected checkout in scope: equal, different, explained (a late click of
    /// the same user and product fell in its window), missing, late (in `late_events`), or not
    /// due (absent, and newer than the running job's watermark `watermarkMillis`).
    static func outcomes(cutoffMillis: Int64?, windowMillis: Int64, watermarkMillis: Int64? = nil) -> String {
        let notDue = watermarkMillis.map { "WHEN s.checkout_id IS NULL AND e.event_ms > \($0) THEN 'not_due'" } ?? ""
        return """
        CREATE TEMP TABLE verify_outcome AS
        SELECT e.checkout_id,
               CASE
                   WHEN s.checkout_id IS NULL AND l.event_id IS NOT NULL THEN 'late'
                   \(notDue)
                   WHEN s.checkout_id IS NULL THEN 'missing'
                   WHEN \(differs) THEN
                       CASE WHEN EXISTS (SELECT 1 FROM verify_late_clicks k
                                         WHERE k.user_id = e.user_id AND k.product_id = e.product_id
                                           AND k.event_time BETWEEN e.checkout_time - \(windowMillis) * INTERVAL '1 millisecond'
                                                                AND e.checkout_time)
                            THEN 'explained' ELSE 'different' END
                   ELSE 'equal'
               END AS outcome
        FROM verify_expected e
        LEFT JOIN LATERAL (SELECT * FROM verify_sink x WHERE x.checkout_id = e.checkout_id LIMIT 1) s ON true
        LEFT JOIN LATERAL (SELECT event_id FROM verify_late_checkouts y WHERE y.event_id = e.checkout_id LIMIT 1) l ON true
        WHERE \(inScope("e.event_ms", cutoffMillis))
        """
    }

    /// Counts per outcome, plus the figures of the expected rows in scope.
    static let outcomeCounts = """
        SELECT count(*) FILTER (WHERE o.outcome = 'equal'), count(*) FILTER (WHERE o.outcome = 'different'),
               count(*) FILTER (WHERE o.outcome = 'explained'), count(*) FILTER (WHERE o.outcome = 'missing'),
               count(*) FILTER (WHERE o.outcome = 'late'), count(*),
               count(*) FILTER (WHERE e.click_id IS NOT NULL), count(*) FILTER (WHERE e.user_name IS NULL),
               count(*) FILTER (WHERE o.outcome = 'not_due')
        FROM verify_outcome o JOIN verify_expected e USING (checkout_id)
        """

    /// Sink rows (in scope) with no expected checkout; and rows of either side left out by the cut-off.
    static func extraAndExcluded(cutoffMillis: Int64?) -> String {
        """
        SELECT (SELECT count(*) FROM verify_sink s
                WHERE \(inScope("s.checkout_time", cutoffMillis, asTimestamp: true))
                  AND NOT EXISTS (SELECT 1 FROM verify_expected e WHERE e.checkout_id = s.checkout_id)),
               (SELECT count(*) FROM verify_expected e WHERE NOT (\(inScope("e.event_ms", cutoffMillis)))),
               (SELECT count(*) FROM verify_sink s WHERE NOT (\(inScope("s.checkout_time", cutoffMillis, asTimestamp: true)))),
               (SELECT count(*) FROM verify_sink)
        """
    }

    /// The expected row's columns as text, `columns` order.
    private static let expectedText = """
        e.checkout_id, e.user_name, e.click_id, e.product_id, e.payment_method, round(e.total_amount, 2)::text,
        e.shipping_address, e.billing_address, e.user_agent, e.ip_address, e.checkout_time::text, e.click_time::text, e.user_id::text
        """
    private static let sinkText = """
        s.checkout_id, s.user_name, s.click_id, s.product_id, s.payment_method, s.total_amount::text,
        s.shipping_address, s.billing_address, s.user_agent, s.ip_address, s.checkout_time::text, s.click_time::text, s.user_id::text
        """

    static func missingExamples(limit: Int) -> String {
        """
        SELECT \(expectedText) FROM verify_outcome o JOIN verify_expected e USING (checkout_id)
        WHERE o.outcome = 'missing' ORDER BY e.checkout_time, e.checkout_id LIMIT \(limit)
        """
    }

    static func differentExamples(limit: Int) -> String {
        """
        SELECT \(expectedText), \(sinkText)
        FROM verify_outcome o JOIN verify_expected e USING (checkout_id)
        JOIN LATERAL (SELECT * FROM verify_sink x WHERE x.checkout_id = e.checkout_id LIMIT 1) s ON true
        WHERE o.outcome = 'different' ORDER BY e.checkout_time, e.checkout_id LIMIT \(limit)
        """
    }

    static func extraExamples(cutoffMillis: Int64?, limit: Int) -> String {
        """
        SELECT \(sinkText) FROM verify_sink s
        WHERE \(inScope("s.checkout_time", cutoffMillis, asTimestamp: true))
          AND NOT EXISTS (SELECT 1 FROM verify_expected e WHERE e.checkout_id = s.checkout_id)
        ORDER BY s.checkout_time, s.checkout_id LIMIT \(limit)
        """
    }

    // MARK: - Dead letters

    /// The engine's dead letters for the offsets that were read.
    static let deadLetters = """
        CREATE TEMP TABLE verify_dead AS
        SELECT d.topic, d."partition" AS part, d."offset" AS off, d.reason
        FROM commerce.dead_letters d
        JOIN verify_partitions p ON p.topic = d.topic AND p.part = d."partition"
        WHERE d."offset" >= p.low AND d."offset" < p.high;
        CREATE INDEX ON verify_dead (topic, part, off);
        CREATE INDEX ON verify_malformed (topic, part, off)
        """

    private static let missingDead = """
        FROM verify_malformed m
        WHERE NOT EXISTS (SELECT 1 FROM verify_dead d WHERE d.topic = m.topic AND d.part = m.part AND d.off = m.off)
        """
    private static let extraDead = """
        FROM verify_dead d
        WHERE NOT EXISTS (SELECT 1 FROM verify_malformed m WHERE m.topic = d.topic AND m.part = d.part AND m.off = d.off)
        """

    /// Expected, found, missing, extra, and dead letters of the topics outside the offsets read.
    static func deadLetterCounts(topics: [String]) -> String {
        """
        SELECT (SELECT count(*) FROM verify_malformed), (SELECT count(*) FROM verify_dead),
               (SELECT count(*) \(missingDead)), (SELECT count(*) \(extraDead)),
               (SELECT count(*) FROM commerce.dead_letters WHERE topic IN (\(topics.map(literal).joined(separator: ", "))))
                   - (SELECT count(*) FROM verify_dead)
        """
    }

    static func missingDeadExamples(limit: Int) -> String {
        "SELECT m.topic, m.part::text, m.off::text, m.reason \(missingDead) ORDER BY m.topic, m.part, m.off LIMIT \(limit)"
    }

    static func extraDeadExamples(limit: Int) -> String {
        "SELECT d.topic, d.part::text, d.off::text, d.reason \(extraDead) ORDER BY d.topic, d.part, d.off LIMIT \(limit)"
    }

    // MARK: - Helpers

    /// The scope predicate for an event-time column (epoch ms, or a timestamp with `asTimestamp`).
    static func inScope(_ column: String, _ cutoffMillis: Int64?, asTimestamp: Bool = false) -> String {
        guard let cutoffMillis else { return "true" }
        return asTimestamp ? "\(column) >= pg_temp.verify_ts(\(cutoffMillis))" : "\(column) >= \(cutoffMillis)"
    }

    /// A SQL string literal.
    static func literal(_ text: String) -> String {
        "'" + text.replacing("'", with: "''") + "'"
    }
}
