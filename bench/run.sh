#!/usr/bin/env bash
# make bench: measures the attribution job on this machine and writes BENCHMARKS.md.
#
# Runs release binaries on a private cluster (1 JobManager, 2 TaskManagers with 2 slots each,
# PostgreSQL, dev broker) under .cluster/bench, and measures:
#   1. the read+parse ceiling: file sources -> blackhole sink (same input, no attribution)
#   2. the attribution job from JSONL files at parallelism 1 and 2, and at 2 into a blackhole
#      sink (no enrichment, no PostgreSQL)
#   3. the Kafka read+parse ceiling (Kafka sources -> blackhole) and the attribution job from the
#      dev broker (bounded Kafka sources) at parallelism 1 and 2, with the broker's CPU time
#   3b. Apache Flink SQL's attribution on the same JSONL files at p=2 (bench/flink/run.sh), its
#      rows checked against Sluice's and a brute-force reference
#   4. end-to-end latency (checkout event time -> row committed) in eager mode at a fixed rate
#   5. checkpoint duration, state size and uploaded (incremental) bytes of a live job (2,000 events/s)
#   6. recovery time: SIGKILL of a TaskManager (a spare one available) -> job RUNNING again and
#      -> first new row committed, SLUICE_BENCH_KILLS times (default 5)
#   7. slow and lossy links: the bounded attribution across network-namespace hosts on clean
#      links and with 50 ± 10 ms delay and 1 % loss between the TaskManagers (the multi-host
#      test with these binaries, SLUICE_BENCH_NETEM_EVENTS events, default 500000)
# plus the peak resident memory of the TaskManagers in each run.
#
# Environment: SLUICE_BENCH_EVENTS (default 1000000), SLUICE_BENCH_LATENCY_RATE (events/s, 2000),
# SLUICE_BENCH_LATENCY_SECONDS (60).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
latency_rate="${SLUICE_BENCH_LATENCY_RATE:-2000}"
latency_seconds="${SLUICE_BENCH_LATENCY_SECONDS:-60}"
kills="${SLUICE_BENCH_KILLS:-5}"
netem_events="${SLUICE_BENCH_NETEM_EVENTS:-500000}"
# shellcheck source=bench/lib.sh
source bench/lib.sh
checkpoints="$SLUICE_CLUSTER_DIR/checkpoints.tsv"
recovery="$SLUICE_CLUSTER_DIR/recovery.tsv"

bench_build
trap bench_cleanup EXIT
bench_cluster_with_input

echo "== Throughput (label, events/s, peak TaskManager RSS MiB, job ms)"
for p in 1 2; do run_job "read+parse ceiling, file, p=$p" "$p" "$(file_spec blackhole)"; done
for p in 1 2; do
  psql -q "$pg" -c "TRUNCATE commerce.attributed_checkouts" >/dev/null
  run_job "attribution, file source, p=$p" "$p" "$(file_spec attribution)"
done
# Apache Flink SQL's attribution on the same files at p=2 (bench/flink/README.md), right after
# Sluice's p=2 run: its rows are checked against Sluice's (still in the table) and a brute-force
# reference. A failure of the peer is reported, not fatal (BENCHMARKS.md then says so).
flink="$SLUICE_CLUSTER_DIR/flink.tsv"
: > "$flink"
psql -q "$pg" -c "\\copy (SELECT checkout_id, click_id FROM commerce.attributed_checkouts) TO '$SLUICE_CLUSTER_DIR/sluice-attribution.tsv'"
bash bench/flink/run.sh --input "$input" --parallelism 2 --events "$events" --results "$results" \
  --sluice-rows "$SLUICE_CLUSTER_DIR/sluice-attribution.tsv" --summary "$flink" \
  || { echo "== The Flink peer failed (above); BENCHMARKS.md will say so" >&2; : > "$flink"; }
# The same job without enrichment and PostgreSQL: what the attribution itself costs.
run_job "attribution into a blackhole sink (no enrichment, no PostgreSQL), file, p=2" 2 "$(file_spec attribution-blackhole)"
echo "== The cost of mutual TLS between the processes: the same job, TLS off and on, alternating"
for round in 1 2; do
  for tls in off on; do
    SLUICE_TLS="$([ "$tls" = on ] && echo 1 || echo 0)" bash cluster/cluster.sh restart >/dev/null
    psql -q "$pg" -c "TRUNCATE commerce.attributed_checkouts" >/dev/null
    run_job "attribution, file source, p=2, TLS $tls (round $round)" 2 "$(file_spec attribution)"
  done
done
SLUICE_TLS=0 bash cluster/cluster.sh restart >/dev/null
echo "== Producing the same events into the dev broker"
"$sluice" datagen --postgres "$pg" --kafka "$kafka" --skip-users --events "$events" --rate 0 \
  --malformed-share 0 --seed 7 --start-time "2026-11-20 00:00:00" >/dev/null
broker_costs="$SLUICE_CLUSTER_DIR/broker.tsv"
: > "$broker_costs"
for p in 1 2; do run_kafka_job "read+parse ceiling, Kafka source, p=$p" "$p" "$(kafka_spec blackhole)"; done
for p in 1 2; do
  psql -q "$pg" -c "TRUNCATE commerce.attributed_checkouts" >/dev/null
  run_kafka_job "attribution, Kafka source, p=$p" "$p" "$(kafka_spec)"
done

# Runs the eager job (spec on stdin) against a fresh broker while datagen produces at a fixed
# rate with event time = wall clock; records latency = commit time of the row (when a reader can
# see it) - checkout event time, as "LABEL<TAB>rows<TAB>p50<TAB>p99".
latency_run() {
  local label="$1" spec job
  spec="$(cat)"
  bash cluster/devbroker.sh stop >/dev/null && rm -f "$SLUICE_CLUSTER_DIR/kafka.bootstrap" && bash cluster/devbroker.sh start >/dev/null
  kafka="$(cat "$SLUICE_CLUSTER_DIR/kafka.bootstrap")"
  psql -q "$pg" -c "TRUNCATE commerce.attributed_checkouts" >/dev/null
  job="$(printf '%s' "$spec" | curl -fsS -H "$(auth_header)" -X POST --data-binary @- "$rest/jobs?parallelism=2" | sed -E 's/.*"jobid":"([^"]+)".*/\1/')"
  until curl -fsS "$rest/jobs/$job" | grep -q '"running":6'; do sleep 0.2; done
  "$sluice" datagen --postgres "$pg" --kafka "$kafka" --skip-users --events $((latency_rate * latency_seconds)) \
    --rate "$latency_rate" --disorder-ms 0 --malformed-share 0 --seed 8 >/dev/null
  sleep 3
  curl -fsS -H "$(auth_header)" -X PATCH "$rest/jobs/$job?mode=cancel" >/dev/null
  local latency latency_rows p50 p99
  latency="$(psql -tA -F' ' "$pg" -c "
    WITH l AS (SELECT extract(epoch FROM pg_xact_commit_timestamp(xmin) - (checkout_time AT TIME ZONE 'UTC')) * 1000 AS ms
               FROM commerce.attributed_checkouts)
    SELECT count(*), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1),
           round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 1) FROM l")"
  read -r latency_rows p50 p99 <<< "$latency"
  printf '%s\t%s rows\tp50 %s ms\tp99 %s ms\n' "$label" "$latency_rows" "$p50" "$p99" | tee -a "$results"
}

echo "== Latency: eager mode, $latency_rate events/s for $latency_seconds s, exactly-once and at-least-once"
sed -e 's/emit-mode: on-watermark/emit-mode: eager/' -e 's/interval-ms: 2000/interval-ms: 1000/' jobs/checkout-attribution.yaml \
  | latency_run "latency, eager, exactly-once (checkpoint every 1 s), p=2"
sed -e 's/emit-mode: on-watermark/emit-mode: eager/' -e 's/{table: commerce.attributed_checkouts}/{table: commerce.attributed_checkouts, delivery: at-least-once}/' \
  jobs/checkout-attribution.yaml | latency_run "latency, eager, at-least-once, p=2"

echo "== Recovery: SIGKILL of a TaskManager, $kills times, a spare TaskManager available"
export SLUICE_TASKMANAGERS=3
bash cluster/cluster.sh up >/dev/null
psql -q "$pg" -c "TRUNCATE commerce.attributed_checkouts" >/dev/null
# A live stream (event time = wall clock), as in production: rows keep coming while it runs.
# (latency_run ran in a pipeline's subshell: read the current broker's address again.)
kafka="$(cat "$SLUICE_CLUSTER_DIR/kafka.bootstrap")"
"$sluice" datagen --postgres "$pg" --kafka "$kafka" --skip-users --events 0 --rate 2000 --disorder-ms 0 \
  --malformed-share 0 --seed 9 >/dev/null 2>&1 & stream=$!
job="$(sed -e 's/interval-ms: 2000/interval-ms: 1000/' jobs/checkout-attribution.yaml \
  | curl -fsS -H "$(auth_header)" -X POST --data-binary @- "$rest/jobs?parallelism=2" | sed -E 's/.*"jobid":"([^"]+)".*/\1/')"
# Checkpoints of the live job before any kill (state grows as pending checkouts accumulate):
# id, state bytes, uploaded bytes, end-to-end ms; 20 of them.
until [ "$(curl -fsS "$rest/jobs/$job/checkpoints" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["completed"])')" -ge 20 ]; do sleep 1; done
curl -fsS "$rest/jobs/$job/checkpoints" | python3 -c '
import json, sys
for c in reversed(json.load(sys.stdin)["history"]):
    if c["status"] == "COMPLETED":
        print("%d\t%d\t%d\t%d" % (c["id"], c["state_size"], c["checkpointed_size"], c["end_to_end_duration"]))' > "$checkpoints"
python3 bench/recovery.py "$rest" "$job" "$pg" "$kills" | tee "$recovery"
curl -fsS -H "$(auth_header)" -X PATCH "$rest/jobs/$job?mode=cancel" >/dev/null
kill "$stream" 2>/dev/null || true

# The multi-host test's netem scenario with these release binaries and a bigger input: the same
# bounded attribution on clean links, then with 50 ± 10 ms and 1 % loss between the TaskManagers
# (network namespaces, cluster/netns.sh netem); it prints one line with both durations.
echo "== Slow and lossy links between TaskManagers: netns hosts, clean vs 50 ± 10 ms and 1 % loss"
bench_cleanup
netem="$SLUICE_CLUSTER_DIR/netem.txt"
make -s netem-tool test-setup
# A clean environment: the bench cluster's SLUICE_* variables (ports, token, folders) are not the
# test cluster's.
env -i PATH="$PATH" HOME="${HOME:-/root}" SLUICE_BIN_DIR="$SLUICE_BIN_DIR" SLUICE_BENCH_NETEM_EVENTS="$netem_events" \
  swift test --filter slowAndLossyLinksBetweenTaskManagers 2>&1 \
  | tee "$SLUICE_CLUSTER_DIR/netem.log" | grep -E '^netem-throughput|✘' | tee "$netem" || true

echo "== Writing BENCHMARKS.md"
SLUICE_BENCH_EVENTS="$events" SLUICE_BENCH_LATENCY_RATE="$latency_rate" SLUICE_BENCH_INPUT="$input" SLUICE_BENCH_BROKER="$broker_costs" \
  SLUICE_BENCH_CHECKPOINTS="$checkpoints" SLUICE_BENCH_RECOVERY="$recovery" SLUICE_BENCH_FLINK="$flink" SLUICE_BENCH_NETEM="$netem" \
  bash bench/report.sh "$results" > BENCHMARKS.md
cat BENCHMARKS.md
