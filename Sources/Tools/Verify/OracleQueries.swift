/// The oracle's SQL after the raw records are loaded: classify and parse every record, then
/// recompute the attribution exactly as DESIGN.md §7 defines it.
enum OracleQueries {
    /// Every raw record as `jsonb` (NULL when it is not JSON). The optimistic variant casts
    /// records that look like one object (`{…}`) directly — fast, but the whole statement fails
    /// if one of them is invalid JSON after all; the careful variant parses each record inside an
    /// exception handler (a subtransaction per record, several times slower).
    static func json(maxRecordBytes: Int, optimistic: Bool) -> String {
        let parse = optimistic
            ? "CASE WHEN left(ltrim(payload, E' \\t\\r\\n'), 1) = '{' AND right(rtrim(payload, E' \\t\\r\\n'), 1) = '}' "
                + "THEN payload::jsonb ELSE pg_temp.verify_try_jsonb(payload) END"
            : "pg_temp.verify_try_jsonb(payload)"
        return """
            CREATE TEMP TABLE verify_json AS
            SELECT topic, kind, part, off, size, payload IS NOT NULL AS is_text,
                   CASE WHEN payload IS NOT NULL AND size <= \(maxRecordBytes) THEN \(parse) END AS j
            FROM verify_raw
            """
    }

    /// Classifies and parses every record of `verify_json` (one statement per element); `reason`
    /// is NULL for a well-formed event.
    static func decode(maxRecordBytes: Int) -> [String] {
        let prefix = """
            CASE
                WHEN size > \(maxRecordBytes) THEN 'record of ' || size || ' bytes exceeds \(maxRecordBytes) bytes'
                WHEN NOT is_text THEN 'not UTF-8 text'
                WHEN j IS NULL THEN 'invalid JSON'
                WHEN jsonb_typeof(j) <> 'object' THEN 'not a JSON object'
            """
        // ANALYZE after each temporary table: besides giving the planner statistics, without it
        // PostgreSQL 15 ran the per-row parsing functions several times slower here.
        // `OFFSET 0` keeps each helper to one evaluation per row (no flattening into the CASE).
        return """
            ANALYZE verify_json;

            CREATE TEMP TABLE verify_clicks AS
            SELECT topic, part, off, click_id, user_id, product_id, event_ms,
                   \(prefix)
                       WHEN click_id IS NULL THEN 'click_id missing or invalid'
                       WHEN user_id IS NULL THEN 'user_id missing or not an integer'
                       WHEN product_id IS NULL THEN 'product_id missing or invalid'
                       WHEN event_ms IS NULL THEN 'datetime_occured missing or invalid'
                       WHEN NOT texts_ok THEN 'product, url, user_agent or ip_address is not a string'
                       WHEN price IS NULL THEN 'price is not a number'
                   END AS reason
            FROM (SELECT topic, part, off, size, is_text, j,
                         pg_temp.verify_identifier(j -> 'click_id') AS click_id,
                         pg_temp.verify_user_id(j -> 'user_id') AS user_id,
                         pg_temp.verify_identifier(j -> 'product_id') AS product_id,
                         pg_temp.verify_event_ms(j -> 'datetime_occured') AS event_ms,
                         pg_temp.verify_text_ok(j -> 'product') AND pg_temp.verify_text_ok(j -> 'url')
                             AND pg_temp.verify_text_ok(j -> 'user_agent') AND pg_temp.verify_text_ok(j -> 'ip_address') AS texts_ok,
                         pg_temp.verify_decimal(j -> 'price') AS price
                  FROM verify_json WHERE kind = 'click' OFFSET 0) x;

            CREATE TEMP TABLE verify_checkouts AS
            SELECT topic, part, off, checkout_id, user_id, product_id, event_ms,
                   coalesce(j ->> 'payment_method', '') AS payment_method, total_amount,
                   coalesce(j ->> 'shipping_address', '') AS shipping_address, coalesce(j ->> 'billing_address', '') AS billing_address,
                   coalesce(j ->> 'user_agent', '') AS user_agent, coalesce(j ->> 'ip_address', '') AS ip_address,
                   \(prefix)
                       WHEN checkout_id IS NULL THEN 'checkout_id missing or invalid'
                       WHEN user_id IS NULL THEN 'user_id missing or not an integer'
                       WHEN product_id IS NULL THEN 'product_id missing or invalid'
                       WHEN event_ms IS NULL THEN 'datetime_occured missing or invalid'
                       WHEN NOT texts_ok THEN 'payment_method, an address, user_agent or ip_address is not a string'
                       WHEN total_amount IS NULL THEN 'total_amount is not a number'
                   END AS reason
            FROM (SELECT topic, part, off, size, is_text, j,
                         pg_temp.verify_identifier(j -> 'checkout_id') AS checkout_id,
                         pg_temp.verify_user_id(j -> 'user_id') AS user_id,
                         pg_temp.verify_identifier(j -> 'product_id') AS product_id,
                         pg_temp.verify_event_ms(j -> 'datetime_occured') AS event_ms,
                         pg_temp.verify_text_ok(j -> 'payment_method') AND pg_temp.verify_text_ok(j -> 'shipping_address')
                             AND pg_temp.verify_text_ok(j -> 'billing_address') AND pg_temp.verify_text_ok(j -> 'user_agent')
                             AND pg_temp.verify_text_ok(j -> 'ip_address') AS texts_ok,
                         pg_temp.verify_decimal(j -> 'total_amount') AS total_amount
                  FROM verify_json WHERE kind = 'checkout' OFFSET 0) x;

            CREATE TEMP TABLE verify_valid_clicks AS
            SELECT click_id, user_id, product_id, event_ms FROM verify_clicks WHERE reason IS NULL;
            CREATE INDEX ON verify_valid_clicks (user_id, product_id, event_ms);
            CREATE TEMP TABLE verify_malformed AS
            SELECT topic, part, off, reason FROM verify_clicks WHERE reason IS NOT NULL
            UNION ALL SELECT topic, part, off, reason FROM verify_checkouts WHERE reason IS NOT NULL;
            ANALYZE verify_valid_clicks;
            ANALYZE verify_checkouts
            """.split(separator: ";\n").map(String.init)
    }

    /// Counts of what SQL parsed: valid clicks, valid checkouts, malformed records, repeated checkout ids.
    static let parsedCounts = """
        SELECT (SELECT count(*) FROM verify_valid_clicks),
               (SELECT count(*) FROM verify_checkouts WHERE reason IS NULL),
               (SELECT count(*) FROM verify_malformed),
               (SELECT count(*) - count(DISTINCT checkout_id) FROM verify_checkouts WHERE reason IS NULL),
               (SELECT max(event_ms) FROM (SELECT max(event_ms) AS event_ms FROM verify_valid_clicks
                                           UNION ALL SELECT max(event_ms) FROM verify_checkouts WHERE reason IS NULL) t)
        """

    /// The earliest surviving event time per partition (for `TruncationCutoff`).
    static let earliestPerPartition = """
        SELECT topic, part, min(event_ms) FROM (
            SELECT topic, part, event_ms FROM verify_clicks WHERE reason IS NULL
            UNION ALL SELECT topic, part, event_ms FROM verify_checkouts WHERE reason IS NULL) e
        GROUP BY topic, part
        """

    /// For every well-formed checkout, exactly one row: the earliest click of the same user and
    /// product in [T − window, T] (ties: smaller click_id in byte order), and the user name valid
    /// at T in the SCD2 history. A checkout id seen twice counts once (its first occurrence).
    static func expected(windowMillis: Int64) -> String {
        """
        CREATE TEMP TABLE verify_expected AS
        SELECT DISTINCT ON (c.checkout_id)
               c.checkout_id, h.username AS user_name, a.click_id, c.product_id, c.payment_method, c.total_amount,
               c.shipping_address, c.billing_address, c.user_agent, c.ip_address,
               pg_temp.verify_ts(c.event_ms) AS checkout_time, pg_temp.verify_ts(a.event_ms) AS click_time, c.user_id, c.event_ms
        FROM verify_checkouts c
        LEFT JOIN LATERAL (
            SELECT k.click_id, k.event_ms FROM verify_valid_clicks k
            WHERE k.user_id = c.user_id AND k.product_id = c.product_id
              AND k.event_ms BETWEEN c.event_ms - \(windowMillis) AND c.event_ms
            ORDER BY k.event_ms, k.click_id COLLATE "C"
            LIMIT 1) a ON true
        LEFT JOIN LATERAL (
            SELECT u.username FROM commerce.users_history u
            WHERE u.id = c.user_id AND u.valid_from <= pg_temp.verify_ts(c.event_ms)
              AND (u.valid_to IS NULL OR pg_temp.verify_ts(c.event_ms) < u.valid_to)
            ORDER BY u.valid_from DESC
            LIMIT 1) h ON true
        WHERE c.reason IS NULL
        ORDER BY c.checkout_id, c.part, c.off;
        CREATE UNIQUE INDEX ON verify_expected (checkout_id);
        ANALYZE verify_expected
        """
    }
}
