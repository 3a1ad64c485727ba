#!/usr/bin/env bash
# make bench: measures the attribution job on this machine and writes BENCHMARKS.md.
#
# Runs release binaries on a private cluster (1 JobManager, 2 TaskManagers with 2 slots each,
# PostgreSQL, dev broker) under .cluster/bench, and measures:
#   1. the read+parse ceiling: file sources -> blackhole sink (same input, no attribution)
#   2. the attribution job from JSONL files at parallelism 1 and 2
#   3. the attribution job from the dev broker (bounded Kafka sources) at parallelism 1 and 2
#   4. end-to-end latency (checkout event time -> row committed) in eager mode at a fixed rate
#   5. checkpoint duration, state size and uploaded (incremental) bytes of a live job (2,000 events/s)
#   6. recovery time: SIGKILL of a TaskManager (a spare one available) -> job RUNNING again and
#      -> first new row committed, SLUICE_BENCH_KILLS times (default 5)
# plus the peak resident memory of the TaskManagers in each run.
#
# Environment: SLUICE_BENCH_EVENTS (default 1000000), SLUICE_BENCH_LATENCY_RATE (events/s, 2000),
# SLUICE_BENCH_LATENCY_SECONDS (60).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
events="${SLUICE_BENCH_EVENTS:-1000000}"
latency_rate="${SLUICE_BENCH_LATENCY_RATE:-2000}"
latency_seconds="${SLUICE_BENCH_LATENCY_SECONDS:-60}"
kills="${SLUICE_BENCH_KILLS:-5}"
export SLUICE_CLUSTER_DIR="$root/.cluster/bench"
export SLUICE_JOBMANAGER_RPC_PORT=16300 SLUICE_JOBMANAGER_REST_PORT=18300 SLUICE_PG_PORT=54330
export SLUICE_KAFKA_TOPICS="clicks:32,checkouts:16"
rest="http://127.0.0.1:$SLUICE_JOBMANAGER_REST_PORT"
input="$SLUICE_CLUSTER_DIR/input"
results="$SLUICE_CLUSTER_DIR/results.tsv"
checkpoints="$SLUICE_CLUSTER_DIR/checkpoints.tsv"
recovery="$SLUICE_CLUSTER_DIR/recovery.tsv"

echo "== Building release binaries (swift build -c release)"
swift build -c release --scratch-path .build-release 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" | tail -n 3
export SLUICE_BIN_DIR="$(swift build -c release --scratch-path .build-release --show-bin-path)"
sluice="$SLUICE_BIN_DIR/sluice"

cleanup() { bash cluster/cluster.sh down >/dev/null 2>&1 || true; }
trap cleanup EXIT
rm -rf "$SLUICE_CLUSTER_DIR"
mkdir -p "$input"
: > "$results"
bash cluster/cluster.sh up >/dev/null
# cluster.sh generated the REST token that submit and cancel need.
auth=(-H "Authorization: Bearer $(cat "$SLUICE_CLUSTER_DIR/rest-token")")
pg="$(cat "$SLUICE_CLUSTER_DIR/postgres.url")"
kafka="$(cat "$SLUICE_CLUSTER_DIR/kafka.bootstrap")"
psql -q -v ON_ERROR_STOP=1 "$pg" -f cluster/schema.sql >/dev/null

echo "== Generating $events events into $input and the users into PostgreSQL"
"$sluice" datagen --postgres "$pg" --kafka "$kafka" --users-only >/dev/null
"$sluice" datagen --postgres "$pg" --kafka "$kafka" --skip-users --events "$events" --rate 0 \
  --malformed-share 0 --seed 7 --start-time "2026-11-20 00:00:00" --output-dir "$input" >/dev/null

taskmanager_pids() { cat "$SLUICE_CLUSTER_DIR"/pids/taskmanager-*.pid; }

# Samples the summed RSS of the TaskManagers every 0.5 s into $1 until killed.
sample_rss() {
  local out="$1" total pid kb
  while true; do
    total=0
    for pid in $(taskmanager_pids); do
      kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)"
      total=$((total + ${kb:-0}))
    done
    echo "$total" >> "$out"
    sleep 0.5
  done
}

# Submits SPEC (a YAML text) at PARALLELISM, waits for FINISHED, records "LABEL events/s peak-RSS-MiB seconds".
run_job() {
  local label="$1" parallelism="$2" spec="$3" rss="$SLUICE_CLUSTER_DIR/rss.$$"
  : > "$rss"
  sample_rss "$rss" & local sampler=$!
  local job state details
  job="$(printf '%s' "$spec" | curl -fsS "${auth[@]}" -X POST --data-binary @- "$rest/jobs?parallelism=$parallelism" | sed -E 's/.*"jobid":"([^"]+)".*/\1/')"
  while true; do
    details="$(curl -fsS "$rest/jobs/$job")"
    state="$(printf '%s' "$details" | python3 -c 'import json, sys; print(json.load(sys.stdin)["state"])')"
    case "$state" in FINISHED) break ;; FAILED|CANCELED) kill "$sampler"; echo "job $label ended $state: $details" >&2; exit 1 ;; esac
    sleep 0.2
  done
  kill "$sampler" 2>/dev/null || true
  local millis peak
  # The job's own duration (submission to FINISHED); vertices carry "duration" keys too.
  millis="$(printf '%s' "$details" | python3 -c 'import json, sys; print(json.load(sys.stdin)["duration"])')"
  peak="$(sort -n "$rss" | tail -n 1)"
  local rate=$((events * 1000 / (millis > 0 ? millis : 1)))
  printf '%s\t%s\t%s\t%s\n' "$label" "$rate" "$((peak / 1024))" "$millis" | tee -a "$results"
}

file_spec() {  # $1 = sink kind
  cat <<SPEC
name: bench-file
sources:
  - {id: clicks, kind: file-source, params: {path: $input/clicks.jsonl, event: click}}
  - {id: checkouts, kind: file-source, params: {path: $input/checkouts.jsonl, event: checkout}}
$(if [ "$1" = blackhole ]; then cat <<'PARSE'
sinks:
  - {id: clicks-sink, kind: blackhole-sink, inputs: [clicks]}
  - {id: checkouts-sink, kind: blackhole-sink, inputs: [checkouts]}
PARSE
else cat <<'JOB'
operators:
  - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id]}
  - {id: enrich, kind: user-enrichment, inputs: [attribution]}
sinks:
  - {id: sink, kind: postgres-sink, inputs: [enrich]}
JOB
fi)
SPEC
}

kafka_spec() {
  sed -e 's/event: click}/event: click, bounded: true}/' -e 's/event: checkout}/event: checkout, bounded: true}/' jobs/checkout-attribution.yaml
}

echo "== Throughput (label, events/s, peak TaskManager RSS MiB, job ms)"
for p in 1 2; do run_job "read+parse ceiling, file, p=$p" "$p" "$(file_spec blackhole)"; done
for p in 1 2; do
  psql -q "$pg" -c "TRUNCATE commerce.attributed_checkouts" >/dev/null
  run_job "attribution, file source, p=$p" "$p" "$(file_spec attribution)"
done
echo "== Producing the same events into the dev broker"
"$sluice" datagen --postgres "$pg" --kafka "$kafka" --skip-users --events "$events" --rate 0 \
  --malformed-share 0 --seed 7 --start-time "2026-11-20 00:00:00" >/dev/null
for p in 1 2; do
  psql -q "$pg" -c "TRUNCATE commerce.attributed_checkouts" >/dev/null
  run_job "attribution, Kafka source, p=$p" "$p" "$(kafka_spec)"
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
  job="$(printf '%s' "$spec" | curl -fsS "${auth[@]}" -X POST --data-binary @- "$rest/jobs?parallelism=2" | sed -E 's/.*"jobid":"([^"]+)".*/\1/')"
  until curl -fsS "$rest/jobs/$job" | grep -q '"running":6'; do sleep 0.2; done
  "$sluice" datagen --postgres "$pg" --kafka "$kafka" --skip-users --events $((latency_rate * latency_seconds)) \
    --rate "$latency_rate" --disorder-ms 0 --malformed-share 0 --seed 8 >/dev/null
  sleep 3
  curl -fsS "${auth[@]}" -X PATCH "$rest/jobs/$job?mode=cancel" >/dev/null
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
  | curl -fsS "${auth[@]}" -X POST --data-binary @- "$rest/jobs?parallelism=2" | sed -E 's/.*"jobid":"([^"]+)".*/\1/')"
# Checkpoints of the live job before any kill (state grows as pending checkouts accumulate):
# id, state bytes, uploaded bytes, end-to-end ms; 20 of them.
until [ "$(curl -fsS "$rest/jobs/$job/checkpoints" | python3 -c 'import json,sys; print(json.load(sys.stdin)["counts"]["completed"])')" -ge 20 ]; do sleep 1; done
curl -fsS "$rest/jobs/$job/checkpoints" | python3 -c '
import json, sys
for c in reversed(json.load(sys.stdin)["history"]):
    if c["status"] == "COMPLETED":
        print("%d\t%d\t%d\t%d" % (c["id"], c["state_size"], c["checkpointed_size"], c["end_to_end_duration"]))' > "$checkpoints"
python3 bench/recovery.py "$rest" "$job" "$pg" "$kills" | tee "$recovery"
curl -fsS "${auth[@]}" -X PATCH "$rest/jobs/$job?mode=cancel" >/dev/null
kill "$stream" 2>/dev/null || true

echo "== Writing BENCHMARKS.md"
SLUICE_BENCH_EVENTS="$events" SLUICE_BENCH_LATENCY_RATE="$latency_rate" SLUICE_BENCH_INPUT="$input" \
  SLUICE_BENCH_CHECKPOINTS="$checkpoints" SLUICE_BENCH_RECOVERY="$recovery" bash bench/report.sh "$results" > BENCHMARKS.md
cat BENCHMARKS.md
