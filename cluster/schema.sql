-- Sluice attribution schema (idempotent: safe to apply to an existing database).
-- All TIMESTAMP columns hold UTC wall-clock time (timestamp without time zone).
CREATE SCHEMA IF NOT EXISTS commerce;

-- Users as the application keeps them; `updated_at` is when the current version became valid.
CREATE TABLE IF NOT EXISTS commerce.users (
    id          BIGINT PRIMARY KEY,
    username    TEXT NOT NULL,
    password    TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMP(3) NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

-- SCD2 history maintained by the trigger below: one row per version, valid in
-- [valid_from, valid_to); valid_to IS NULL for the current version.
CREATE TABLE IF NOT EXISTS commerce.users_history (
    id          BIGINT NOT NULL,
    username    TEXT NOT NULL,
    password    TEXT NOT NULL,
    valid_from  TIMESTAMP(3) NOT NULL,
    valid_to    TIMESTAMP(3),
    PRIMARY KEY (id, valid_from)
);
CREATE INDEX IF NOT EXISTS users_history_current ON commerce.users_history (id) WHERE valid_to IS NULL;

CREATE OR REPLACE FUNCTION commerce.record_user_version() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.username IS NOT DISTINCT FROM OLD.username AND NEW.password IS NOT DISTINCT FROM OLD.password THEN
            RETURN NEW;
        END IF;
        UPDATE commerce.users_history SET valid_to = NEW.updated_at WHERE id = NEW.id AND valid_to IS NULL;
    END IF;
    INSERT INTO commerce.users_history (id, username, password, valid_from, valid_to)
    VALUES (NEW.id, NEW.username, NEW.password, NEW.updated_at, NULL)
    ON CONFLICT (id, valid_from) DO UPDATE SET username = EXCLUDED.username, password = EXCLUDED.password, valid_to = NULL;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS users_history_trigger ON commerce.users;
CREATE TRIGGER users_history_trigger AFTER INSERT OR UPDATE ON commerce.users
    FOR EACH ROW EXECUTE FUNCTION commerce.record_user_version();

CREATE TABLE IF NOT EXISTS commerce.products (
    id     TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    price  NUMERIC(12, 2) NOT NULL
);

-- The job's output: one row per checkout (original columns plus user_id).
CREATE TABLE IF NOT EXISTS commerce.attributed_checkouts (
    checkout_id       TEXT PRIMARY KEY,
    user_name         TEXT,
    click_id          TEXT,
    product_id        TEXT NOT NULL,
    payment_method    TEXT,
    total_amount      NUMERIC(12, 2),
    shipping_address  TEXT,
    billing_address   TEXT,
    user_agent        TEXT,
    ip_address        TEXT,
    checkout_time     TIMESTAMP(3) NOT NULL,
    click_time        TIMESTAMP(3),
    user_id           BIGINT NOT NULL,
    -- When the row was first written (not part of the attribution; for latency monitoring): the
    -- start of the sink statement (one COPY per batch) that wrote it.
    attributed_at     TIMESTAMPTZ NOT NULL DEFAULT statement_timestamp()
);
-- Not clock_timestamp(): a volatile default makes PostgreSQL's COPY insert row by row (heap and
-- WAL record per row, the table extended a page at a time) instead of in multi-row batches.
-- Tables created with the older default get the new one.
ALTER TABLE commerce.attributed_checkouts ALTER COLUMN attributed_at SET DEFAULT statement_timestamp();
-- Ascending, although readers ask for the newest rows (a B-tree scans either way): checkout times
-- mostly grow, so ascending entries go to the rightmost leaf, which PostgreSQL caches and splits
-- 90/10 (a descending index splits its leftmost leaf 50/50: half-empty pages, more page writes).
-- The older descending index of the same purpose is dropped once.
DROP INDEX IF EXISTS commerce.attributed_checkouts_time;
CREATE INDEX IF NOT EXISTS attributed_checkouts_checkout_time ON commerce.attributed_checkouts (checkout_time);

-- jobs/product-revenue.yaml: revenue and checkouts per product per minute (event time).
CREATE TABLE IF NOT EXISTS commerce.product_revenue_minutely (
    product_id    TEXT NOT NULL,
    window_start  TIMESTAMP(3) NOT NULL,
    window_end    TIMESTAMP(3) NOT NULL,
    revenue       NUMERIC(18, 2) NOT NULL,
    checkouts     BIGINT NOT NULL,
    PRIMARY KEY (product_id, window_start)
);

-- jobs/trending-products.yaml: the 5 most clicked products per 10-minute window.
CREATE TABLE IF NOT EXISTS commerce.trending_products (
    window_start  TIMESTAMP(3) NOT NULL,
    rank          BIGINT NOT NULL,
    product_id    TEXT NOT NULL,
    clicks        BIGINT NOT NULL,
    window_end    TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (window_start, rank)
);

-- Input records that could not be decoded; (topic, partition, offset) makes replays idempotent.
CREATE TABLE IF NOT EXISTS commerce.dead_letters (
    topic        TEXT NOT NULL,
    "partition"  INT NOT NULL,
    "offset"     BIGINT NOT NULL,
    payload      BYTEA NOT NULL,
    reason       TEXT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, "partition", "offset")
);

-- Events that arrived behind the watermark (minus allowed lateness) and so could not be
-- processed: kept here, never silently dropped.
CREATE TABLE IF NOT EXISTS commerce.late_events (
    kind         TEXT NOT NULL,          -- 'click' or 'checkout'
    event_id     TEXT NOT NULL,          -- click_id / checkout_id
    user_id      BIGINT NOT NULL,
    product_id   TEXT NOT NULL,
    event_time   TIMESTAMP(3) NOT NULL,
    watermark    TIMESTAMP(3) NOT NULL,
    reason       TEXT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, event_id)
);

-- Fences of the exactly-once PostgreSQL sink, one row per (job lineage, sink operator): the
-- newest job attempt allowed to commit. Every sink transaction reads its row FOR SHARE before
-- it is prepared or committed; a restarted attempt raises it, so tasks of older attempts
-- (zombies) can never make rows visible. Sinks create it when missing.
CREATE SCHEMA IF NOT EXISTS sluice;
CREATE TABLE IF NOT EXISTS sluice.sink_fences (
    lineage   TEXT NOT NULL,
    operator  TEXT NOT NULL,
    attempt   BIGINT NOT NULL,
    PRIMARY KEY (lineage, operator)
);

-- Rows of generic jobs (library operators over declared schemas) that arrived behind the
-- watermark plus allowed lateness: never dropped silently. `row_json` is the row as JSON with
-- its schema's column names; replays hit the primary key. Task side outputs create it when missing.
CREATE TABLE IF NOT EXISTS sluice.late_rows (
    operator     TEXT NOT NULL,
    event_time   TIMESTAMP(3) NOT NULL,
    watermark    TIMESTAMP(3) NOT NULL,
    row_json     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    row_md5      TEXT GENERATED ALWAYS AS (md5(row_json)) STORED,
    PRIMARY KEY (operator, row_md5)
);
