#!/usr/bin/env python3
"""First-click checkout attribution (DESIGN.md section 7) as an Apache Flink SQL job.

The peer of Sluice's `first-click-attribution` operator for `make bench-flink`: PyFlink's
TableEnvironment in streaming mode on a local mini-cluster (one JVM: JobManager, TaskManager
and the SQL planner), reading the JSONL files `sluice datagen --output-dir` writes. Attribution
only: Sluice's complete job also enriches each row with the user's name from PostgreSQL; this
job does not.

Semantics, as in Sources/Operators/Attribution/FirstClickAttribution.swift:
  every checkout (user u, product p, time T) yields exactly one row; its click is the click of
  u on p with the earliest time in [T - 1 h, T] (both ends inclusive), ties to the smaller
  click_id; no such click -> NULL click columns. Event time, watermarks 15 s behind the newest
  event (jobs/checkout-attribution.yaml: out-of-orderness-ms 15000).

In SQL: an event-time interval LEFT JOIN (checkouts x clicks of the same user and product in
the hour before; a checkout without one comes out once, NULL-padded, when the watermark passes
it) and a window Top-1 per checkout (ROW_NUMBER ordered by click time, then click_id) over
1-second tumbling windows of the checkout time: append-only, each checkout emitted once when
the watermark has passed its window, so the rows are final and deterministic.

With --job read-parse, the sources alone into blackhole sinks (the read+parse ceiling).
Prints one line `FLINK_RESULT <json>` with the timings (bench/flink/run.sh parses it).
"""
import argparse
import json
import os
import sys
import time

# A checkout's columns besides its id and time, in the source and in the sink.
CHECKOUT_COLUMNS = """  user_id BIGINT,
  product_id STRING,
  payment_method STRING,
  total_amount DECIMAL(12, 2),
  shipping_address STRING,
  billing_address STRING,
  user_agent STRING,
  ip_address STRING,
"""

SOURCES = """
CREATE TEMPORARY TABLE clicks (
  click_id STRING,
  user_id BIGINT,
  product_id STRING,
  datetime_occured STRING,
  click_time AS TO_TIMESTAMP(datetime_occured, 'yyyy-MM-dd HH:mm:ss.SSS'),
  WATERMARK FOR click_time AS click_time - INTERVAL '{ooo}' DAY TO SECOND(3)
) WITH ('connector' = 'filesystem', 'path' = '{clicks}', 'format' = 'json');

CREATE TEMPORARY TABLE checkouts (
  checkout_id STRING,
""" + CHECKOUT_COLUMNS + """  datetime_occured STRING,
  checkout_time AS TO_TIMESTAMP(datetime_occured, 'yyyy-MM-dd HH:mm:ss.SSS'),
  WATERMARK FOR checkout_time AS checkout_time - INTERVAL '{ooo}' DAY TO SECOND(3)
) WITH ('connector' = 'filesystem', 'path' = '{checkouts}', 'format' = 'json');
"""

# The sink's columns: the checkout's, the attributed click's id and time (NULL when none).
SINK_COLUMNS = """
  checkout_id STRING,
  click_id STRING,
""" + CHECKOUT_COLUMNS + """  checkout_time TIMESTAMP(3),
  click_time TIMESTAMP(3)
"""

ATTRIBUTION = """
CREATE TEMPORARY VIEW candidates AS
SELECT k.checkout_id, k.user_id, k.product_id, k.payment_method, k.total_amount,
       k.shipping_address, k.billing_address, k.user_agent, k.ip_address, k.checkout_time,
       c.click_id, c.click_time
FROM checkouts AS k
LEFT JOIN clicks AS c
  ON c.user_id = k.user_id AND c.product_id = k.product_id
 AND c.click_time BETWEEN k.checkout_time - INTERVAL '{window}' DAY TO SECOND(3) AND k.checkout_time;

INSERT INTO attributed
SELECT checkout_id, click_id, user_id, product_id, payment_method, total_amount,
       shipping_address, billing_address, user_agent, ip_address, checkout_time,
       CAST(click_time AS TIMESTAMP(3)) AS click_time  -- plain: a sink takes one time attribute
FROM (
  SELECT *, ROW_NUMBER() OVER (
           PARTITION BY window_start, window_end, checkout_id
           ORDER BY click_time ASC, click_id ASC) AS rn
  FROM TABLE(TUMBLE(TABLE candidates, DESCRIPTOR(checkout_time), INTERVAL '1' SECOND))
) WHERE rn = 1;
"""


# The read+parse ceiling: the attribution job's columns of both inputs, parsed, timestamped and
# watermarked, into blackhole sinks; no attribution.
READ_PARSE = [
    "INSERT INTO clicks_parsed SELECT click_id, user_id, product_id, click_time FROM clicks",
    "INSERT INTO checkouts_parsed SELECT %s FROM checkouts" % ", ".join(
        c.split()[0] for c in SINK_COLUMNS.strip().split(",\n") if not c.strip().startswith("click_")),
]
READ_PARSE_SINKS = """
CREATE TEMPORARY TABLE clicks_parsed (click_id STRING, user_id BIGINT, product_id STRING, click_time TIMESTAMP(3))
  WITH ('connector' = 'blackhole');
CREATE TEMPORARY TABLE checkouts_parsed (%s) WITH ('connector' = 'blackhole');
""" % ",".join(c for c in SINK_COLUMNS.strip().split(",\n") if not c.strip().startswith("click_"))


def interval_literal(millis):
    """'D HH:MM:SS.mmm', the text of an INTERVAL ... DAY TO SECOND(3) literal."""
    seconds, ms = divmod(millis, 1000)
    minutes, s = divmod(seconds, 60)
    hours, m = divmod(minutes, 60)
    days, h = divmod(hours, 24)
    return "%d %02d:%02d:%02d.%03d" % (days, h, m, s, ms)


def statements(text):
    return [s.strip() for s in text.split(";") if s.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="folder with clicks.jsonl and checkouts.jsonl")
    parser.add_argument("--parallelism", type=int, default=2)
    parser.add_argument("--job", choices=["attribution", "read-parse"], default="attribution",
                        help="read-parse: both sources straight into blackhole sinks (the read+parse ceiling)")
    parser.add_argument("--sink", choices=["blackhole", "csv"], default="blackhole")
    parser.add_argument("--output", help="folder for the CSV rows (--sink csv)")
    parser.add_argument("--window-ms", type=int, default=3600000)
    parser.add_argument("--out-of-orderness-ms", type=int, default=15000)
    parser.add_argument("--state-backend", choices=["hashmap", "rocksdb"], default="hashmap",
                        help="Flink's keyed state: on the JVM heap (Flink's default) or in RocksDB")
    parser.add_argument("--checkpoint-interval", default="2 s",
                        help="with --sink csv (its files are committed on checkpoints); as jobs/checkout-attribution.yaml")
    parser.add_argument("--tmp-dir", help="Flink's io.tmp.dirs (RocksDB's working folder, spill files)")
    parser.add_argument("--explain", action="store_true", help="print the plan, do not run")
    args = parser.parse_args()
    if args.sink == "csv" and not args.output:
        parser.error("--sink csv needs --output")

    from pyflink.table import EnvironmentSettings, TableEnvironment
    from pyflink.common import Configuration

    config = Configuration()
    config.set_string("parallelism.default", str(args.parallelism))
    config.set_string("table.exec.resource.default-parallelism", str(args.parallelism))
    config.set_string("pipeline.name", "sluice-bench-flink-%s-%s" % (args.job, args.sink))
    config.set_string("state.backend.type", args.state_backend)
    # A failure ends the run (a restart would hide in the timing, or loop).
    config.set_string("restart-strategy.type", "none")
    if args.tmp_dir:
        config.set_string("io.tmp.dirs", os.path.abspath(args.tmp_dir))
    if args.sink == "csv":
        # The filesystem sink commits its part files on checkpoints (the last one when the
        # bounded input ends); without checkpointing they would stay in-progress. Checkpoints go
        # to files: the default JobManager-memory storage refuses states over 5 MiB.
        if not args.tmp_dir:
            parser.error("--sink csv needs --tmp-dir (for its checkpoints)")
        config.set_string("execution.checkpointing.interval", args.checkpoint_interval)
        config.set_string("execution.checkpointing.dir",
                          "file://" + os.path.join(os.path.abspath(args.tmp_dir), "checkpoints"))
    settings = EnvironmentSettings.new_instance().in_streaming_mode().with_configuration(config).build()
    env = TableEnvironment.create(settings)

    clicks = os.path.join(os.path.abspath(args.input), "clicks.jsonl")
    checkouts = os.path.join(os.path.abspath(args.input), "checkouts.jsonl")
    for path in (clicks, checkouts):
        if not os.path.isfile(path):
            sys.exit("attribution.py: %s is missing" % path)
    ooo = interval_literal(args.out_of_orderness_ms)
    for statement in statements(SOURCES.format(clicks=clicks, checkouts=checkouts, ooo=ooo)):
        env.execute_sql(statement)
    if args.job == "read-parse":
        for statement in statements(READ_PARSE_SINKS):
            env.execute_sql(statement)
        return run(env, args, READ_PARSE)
    if args.sink == "blackhole":
        sink = "CREATE TEMPORARY TABLE attributed (%s) WITH ('connector' = 'blackhole')" % SINK_COLUMNS
    else:
        sink = ("CREATE TEMPORARY TABLE attributed (%s) WITH ('connector' = 'filesystem', 'path' = '%s', "
                "'format' = 'csv')" % (SINK_COLUMNS, os.path.abspath(args.output)))
    env.execute_sql(sink)
    view, insert = statements(ATTRIBUTION.format(window=interval_literal(args.window_ms)))
    env.execute_sql(view)
    run(env, args, [insert])


def run(env, args, inserts):
    """Runs the INSERT statements as one job and prints the FLINK_RESULT line."""
    statement_set = env.create_statement_set()
    for insert in inserts:
        statement_set.add_insert_sql(insert)
    if args.explain:
        print(statement_set.explain())
        return

    submitted = time.time()
    result = statement_set.execute()
    client = result.get_job_client()
    job_id = str(client.get_job_id())
    print("flink: job %s submitted (%s, parallelism %d, %s state, %s sink)" % (
        job_id, args.job, args.parallelism, args.state_backend, args.sink), flush=True)
    execution = client.get_job_execution_result().result()
    finished = time.time()
    print("FLINK_RESULT " + json.dumps({
        "job_id": job_id,
        # The JobMaster's own figure: job submitted (INITIALIZING) to FINISHED, as Sluice's
        # REST "duration" (and Flink's) is.
        "net_runtime_ms": execution.get_net_runtime(),
        # execute() to the result on the client: also planning the SQL, compiling the
        # generated code and starting the per-job mini-cluster.
        "client_wall_ms": int((finished - submitted) * 1000),
    }), flush=True)


if __name__ == "__main__":
    main()
