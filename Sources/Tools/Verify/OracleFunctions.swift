/// The SQL helpers `verify` installs in its session (`pg_temp`): PostgreSQL itself parses the
/// raw records, independently of the engine's Swift decoder, with the same acceptance rules
/// (see `ClickDecoder`): ids are non-empty strings or integers; `user_id` an integer or a string
/// of digits that fits 64 bits; free-text fields strings or null; amounts numbers or numeric
/// strings; `datetime_occured` `YYYY-MM-DD HH:MM:SS[.f{1,6}][Z]` (`T` may replace the space) with
/// fractions cut — not rounded — to milliseconds.
///
/// Known blind spots of a jsonb-based check: a repeated key (jsonb keeps the last one, the
/// decoder refuses the record) and the `\u0000` escape (jsonb refuses it). The datagen produces
/// neither.
enum OracleFunctions {
    static let statements = """
        CREATE TEMP TABLE verify_raw (
            topic TEXT NOT NULL, kind TEXT NOT NULL, part INT NOT NULL, off BIGINT NOT NULL, size INT NOT NULL, payload TEXT);
        CREATE TEMP TABLE verify_partitions (
            topic TEXT NOT NULL, part INT NOT NULL, low BIGINT NOT NULL, high BIGINT NOT NULL, PRIMARY KEY (topic, part));

        -- The payload as jsonb, or NULL when it is not valid JSON.
        CREATE FUNCTION pg_temp.verify_try_jsonb(payload TEXT) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            RETURN payload::jsonb;
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END
        $$;

        -- An id: a non-empty string, or an integer as its decimal text; else NULL.
        CREATE FUNCTION pg_temp.verify_identifier(v jsonb) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE jsonb_typeof(v)
                WHEN 'string' THEN nullif(v #>> '{}', '')
                WHEN 'number' THEN CASE WHEN (v #>> '{}') ~ '^-?[0-9]+$' THEN v #>> '{}' END
            END
        $$;

        -- user_id: an integer or a string of digits that fits BIGINT; else NULL.
        CREATE FUNCTION pg_temp.verify_user_id(v jsonb) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN jsonb_typeof(v) IN ('number', 'string') AND (v #>> '{}') ~ '^-?[0-9]{1,19}$' THEN
                CASE WHEN (v #>> '{}')::numeric BETWEEN -9223372036854775808 AND 9223372036854775807
                     THEN (v #>> '{}')::bigint END
            END
        $$;

        -- A free-text field: absent, null or a string.
        CREATE FUNCTION pg_temp.verify_text_ok(v jsonb) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
            SELECT v IS NULL OR jsonb_typeof(v) IN ('string', 'null')
        $$;

        -- An amount: absent or null (0), a number, or a numeric string; else NULL.
        CREATE FUNCTION pg_temp.verify_decimal(v jsonb) RETURNS NUMERIC LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE
                WHEN v IS NULL OR jsonb_typeof(v) = 'null' THEN 0
                WHEN jsonb_typeof(v) = 'number' THEN (v #>> '{}')::numeric
                WHEN jsonb_typeof(v) = 'string'
                     AND (v #>> '{}') ~ '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?0*[0-9]{1,3})?$' THEN (v #>> '{}')::numeric
            END
        $$;

        -- Epoch milliseconds of an event-time string, or NULL when it is not a valid instant
        -- (proleptic Gregorian calendar: days from the civil date, no time-zone logic).
        CREATE FUNCTION pg_temp.verify_parse_time(t TEXT) RETURNS BIGINT LANGUAGE plpgsql IMMUTABLE AS $$
        DECLARE
            y INT; mo INT; d INT; h INT; mi INT; s INT; ms INT; yy INT; era INT; yoe INT; days_in_month INT;
        BEGIN
            IF t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?Z?$' THEN
                RETURN NULL;
            END IF;
            y := substr(t, 1, 4)::int; mo := substr(t, 6, 2)::int; d := substr(t, 9, 2)::int;
            h := substr(t, 12, 2)::int; mi := substr(t, 15, 2)::int; s := substr(t, 18, 2)::int;
            -- The first three fraction digits, right-padded: fractions are cut, not rounded.
            ms := CASE WHEN substr(t, 20, 1) = '.' THEN rpad(substring(t FROM 21 FOR 3), 3, '0')::int ELSE 0 END;
            days_in_month := CASE WHEN mo IN (4, 6, 9, 11) THEN 30
                                  WHEN mo = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
                                  ELSE 31 END;
            IF mo NOT BETWEEN 1 AND 12 OR h > 23 OR mi > 59 OR s > 59 OR d < 1 OR d > days_in_month THEN
                RETURN NULL;
            END IF;
            yy := y - CASE WHEN mo <= 2 THEN 1 ELSE 0 END;
            era := CASE WHEN yy >= 0 THEN yy ELSE yy - 399 END / 400;
            yoe := yy - era * 400;
            RETURN (era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + (153 * ((mo + 9) % 12) + 2) / 5 + d - 1 - 719468)::bigint * 86400000
                   + ((h * 60 + mi) * 60 + s)::bigint * 1000 + ms;
        END
        $$;

        CREATE FUNCTION pg_temp.verify_event_ms(v jsonb) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
            SELECT CASE WHEN jsonb_typeof(v) = 'string' THEN pg_temp.verify_parse_time(v #>> '{}') END
        $$;

        -- Epoch milliseconds as a TIMESTAMP(3) (UTC wall clock, like the sink's columns).
        CREATE FUNCTION pg_temp.verify_ts(ms BIGINT) RETURNS TIMESTAMP(3) LANGUAGE sql IMMUTABLE AS $$
            SELECT (TIMESTAMP '1970-01-01 00:00:00' + ms * INTERVAL '1 millisecond')::timestamp(3)
        $$;
        """
}
