# Shared functions of the benchmark scripts (sourced by bench/run.sh and bench/quick.sh, not run).
#
# The caller sets `root` (the repository) and may set, before sourcing:
#   SLUICE_BENCH_EVENTS (default 1000000), SLUICE_BENCH_CLUSTER_DIR (default <root>/.cluster/bench),
#   SLUICE_JOBMANAGER_RPC_PORT / SLUICE_JOBMANAGER_REST_PORT / SLUICE_PG_PORT (16300 / 18300 / 54330).
events="${SLUICE_BENCH_EVENTS:-1000000}"
# The benchmark's own folder, never the dev cluster's: an inherited SLUICE_CLUSTER_DIR (the
# Makefile exports .cluster for `make run`) is ignored, because a run starts by deleting it.
export SLUICE_CLUSTER_DIR="${SLUICE_BENCH_CLUSTER_DIR:-$root/.cluster/bench}"
if [ "$(realpath -m "$SLUICE_CLUSTER_DIR")" = "$(realpath -m "$root/.cluster")" ]; then
  echo "bench: SLUICE_BENCH_CLUSTER_DIR is the dev cluster's folder ($root/.cluster); a benchmark deletes its folder first: pick another" >&2
  exit 2
fi
export SLUICE_JOBMANAGER_RPC_PORT="${SLUICE_JOBMANAGER_RPC_PORT:-16300}"
export SLUICE_JOBMANAGER_REST_PORT="${SLUICE_JOBMANAGER_REST_PORT:-18300}"
export SLUICE_PG_PORT="${SLUICE_PG_PORT:-54330}"
export SLUICE_KAFKA_TOPICS="clicks:32,checkouts:16"
# Plaintext unless asked (SLUICE_BENCH_TLS=1), so the figures stay comparable with builds before
# TLS (cluster.sh reads SLUICE_TLS and does not pass it on to the processes).
export SLUICE_TLS="${SLUICE_BENCH_TLS:-0}"
rest="http://127.0.0.1:$SLUICE_JOBMANAGER_REST_PORT"
input="$SLUICE_CLUSTER_DIR/input"
results="$SLUICE_CLUSTER_DIR/results.tsv"

# Builds the release binaries and points SLUICE_BIN_DIR and `sluice` at them; with
# SLUICE_BENCH_BIN set, uses the binaries in that folder instead (A/B runs of two builds).
bench_build() {
  if [ -n "${SLUICE_BENCH_BIN:-}" ]; then
    export SLUICE_BIN_DIR="$SLUICE_BENCH_BIN"
    sluice="$SLUICE_BIN_DIR/sluice"
    return
  fi
  echo "== Building release binaries (swift build -c release)"
  swift build -c release --scratch-path .build-release 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" | tail -n 3
  export SLUICE_BIN_DIR="$(swift build -c release --scratch-path .build-release --show-bin-path)"
  sluice="$SLUICE_BIN_DIR/sluice"
}

bench_cleanup() { bash cluster/cluster.sh down >/dev/null 2>&1 || true; }

# The header submit, stop and cancel need: cluster.sh writes the REST token when it starts the cluster.
auth_header() { printf 'Authorization: Bearer %s' "$(cat "$SLUICE_CLUSTER_DIR/rest-token")"; }

# A fresh cluster (the old one's folder removed) with the schema, the users in PostgreSQL and
# $events generated events as JSONL files in $input; sets `pg` and `kafka`.
bench_cluster_with_input() {
  rm -rf "$SLUICE_CLUSTER_DIR"
  mkdir -p "$input"
  : > "$results"
  bash cluster/cluster.sh up >/dev/null
  pg="$(cat "$SLUICE_CLUSTER_DIR/postgres.url")"
  kafka="$(cat "$SLUICE_CLUSTER_DIR/kafka.bootstrap")"
  psql -q -v ON_ERROR_STOP=1 "$pg" -f cluster/schema.sql >/dev/null
  echo "== Generating $events events into $input and the users into PostgreSQL"
  "$sluice" datagen --postgres "$pg" --kafka "$kafka" --users-only >/dev/null
  "$sluice" datagen --postgres "$pg" --kafka "$kafka" --skip-users --events "$events" --rate 0 \
    --malformed-share 0 --seed 7 --start-time "2026-11-20 00:00:00" --output-dir "$input" >/dev/null
}

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
# With BENCH_ON_RUNNING set, runs that command (in the background) once the job is submitted.
run_job() {
  local label="$1" parallelism="$2" spec="$3" rss="$SLUICE_CLUSTER_DIR/rss.$$"
  : > "$rss"
  sample_rss "$rss" & local sampler=$!
  local job state details hook=""
  local submitted
  # Without -f: a refused spec's 4xx body says what is wrong, and the run stops on it instead of polling forever.
  submitted="$(printf '%s' "$spec" | curl -sS -H "$(auth_header)" -X POST --data-binary @- "$rest/jobs?parallelism=$parallelism")"
  job="$(printf '%s' "$submitted" | sed -nE 's/.*"jobid":"([^"]+)".*/\1/p')"
  if [ -z "$job" ]; then kill "$sampler"; echo "job $label was not submitted: $submitted" >&2; exit 1; fi
  if [ -n "${BENCH_ON_RUNNING:-}" ]; then bash -c "$BENCH_ON_RUNNING" & hook=$!; fi
  while true; do
    details="$(curl -fsS "$rest/jobs/$job")"
    # grep, not python3: a Python start every 0.2 s costs ~30 ms of CPU, stolen from the job measured.
    # awk reads to the end (head could close the pipe on grep: SIGPIPE, and pipefail ends the run).
    state="$(printf '%s' "$details" | grep -o '"state":"[A-Z]*"' | awk -F'"' 'NR == 1 { print $4 }')"
    case "$state" in FINISHED) break ;; FAILED|CANCELED) kill "$sampler"; echo "job $label ended $state: $details" >&2; exit 1 ;; esac
    sleep 1  # the duration is the server's own figure: polling faster only steals CPU from the job
  done
  kill "$sampler" 2>/dev/null || true
  if [ -n "$hook" ]; then wait "$hook" || true; fi
  local millis peak
  # The job's own duration (submission to FINISHED); vertices carry "duration" keys too.
  millis="$(printf '%s' "$details" | python3 -c 'import json, sys; print(json.load(sys.stdin)["duration"])')"
  peak="$(sort -n "$rss" | tail -n 1)"
  local rate=$((events * 1000 / (millis > 0 ? millis : 1)))
  printf '%s\t%s\t%s\t%s\n' "$label" "$rate" "$((peak / 1024))" "$millis" | tee -a "$results"
}

file_spec() {  # $1 = blackhole (read+parse only), attribution-blackhole (no enrichment, no PostgreSQL) or attribution
  cat <<SPEC
name: bench-file
sources:
  - {id: clicks, kind: file-source, params: {path: $input/clicks.jsonl, format: click}}
  - {id: checkouts, kind: file-source, params: {path: $input/checkouts.jsonl, format: checkout}}
$(if [ "$1" = blackhole ]; then cat <<'PARSE'
sinks:
  - {id: clicks-sink, kind: blackhole-sink, inputs: [clicks]}
  - {id: checkouts-sink, kind: blackhole-sink, inputs: [checkouts]}
PARSE
elif [ "$1" = attribution-blackhole ]; then cat <<'NOSINK'
operators:
  - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id]}
sinks:
  - {id: sink, kind: blackhole-sink, inputs: [attribution]}
NOSINK
else cat <<'JOB'
operators:
  - {id: attribution, kind: first-click-attribution, inputs: [clicks, checkouts], key-by: [user_id, product_id]}
  - {id: enrich, kind: user-enrichment, inputs: [attribution]}
sinks:
  - {id: sink, kind: postgres-sink, inputs: [enrich], params: {table: commerce.attributed_checkouts, key: checkout_id}}
JOB
fi)
SPEC
}

kafka_spec() {  # $1 = blackhole (read+parse only, the Kafka ceiling), else the attribution job
  if [ "${1:-}" = blackhole ]; then cat <<'SPEC'
name: bench-kafka-ceiling
sources:
  - {id: clicks, kind: kafka-source, params: {topic: clicks, format: click, bounded: true}}
  - {id: checkouts, kind: kafka-source, params: {topic: checkouts, format: checkout, bounded: true}}
sinks:
  - {id: clicks-sink, kind: blackhole-sink, inputs: [clicks]}
  - {id: checkouts-sink, kind: blackhole-sink, inputs: [checkouts]}
SPEC
  else
    sed -e 's/format: click}/format: click, bounded: true}/' -e 's/format: checkout}/format: checkout, bounded: true}/' jobs/checkout-attribution.yaml
  fi
}

# CPU time (user + system, ms) a process has used so far, from /proc/PID/stat.
process_cpu_ms() {
  awk -v tick="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / tick) }' "/proc/$1/stat"
}

# Runs a Kafka job like run_job and records the dev broker's CPU time during it into $broker_costs
# as "LABEL<TAB>broker CPU ms<TAB>ms per million events".
run_kafka_job() {
  local label="$1" broker before after
  broker="$(cat "$SLUICE_CLUSTER_DIR/pids/devbroker.pid")"
  before="$(process_cpu_ms "$broker")"
  run_job "$@"
  after="$(process_cpu_ms "$broker")"
  printf '%s\t%s\t%s\n' "$label" "$((after - before))" "$(( (after - before) * 1000000 / events ))" >> "$broker_costs"
}
