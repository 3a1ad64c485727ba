#!/usr/bin/env bash
# make bench-flink: the same first-click attribution (DESIGN.md §7) in Apache Flink SQL, on the
# same JSONL input as Sluice's benchmark, on this machine: throughput, peak memory and a check
# that its rows are the right ones.
#
# 1. Timed runs of bench/flink/attribution.py (PyFlink TableEnvironment, streaming mode, a local
#    mini-cluster: JobManager + TaskManager + SQL planner in one JVM) into blackhole sinks: the
#    read+parse ceiling (both sources, no attribution), then the attribution job. Events/s =
#    input events / the job's own duration (submitted -> FINISHED, Flink's net runtime, as
#    Sluice's REST "duration"); peak RSS = the peak of the summed VmRSS of the Flink JVM(s),
#    sampled every 200 ms. One TSV line each: label, events/s, peak RSS MiB, job ms (the format
#    of bench/lib.sh's run_job).
# 2. Checked run (unless --no-check): the attribution job into CSV files; its rows (checkout_id
#    -> click_id or NULL) are compared with bench/flink/reference.py's brute-force attribution of
#    the same input and, with --sluice-rows, with Sluice's rows exported from PostgreSQL.
# Attribution only: Sluice's complete job also looks up the user's name in PostgreSQL; compare
# with Sluice's "attribution into a blackhole sink (no enrichment, no PostgreSQL)" run.
#
# Usage: bench/flink/run.sh [--input DIR] [--parallelism N] [--events N] [--results FILE]
#                           [--sluice-rows FILE] [--summary FILE] [--no-check]
#   --input DIR        clicks.jsonl + checkouts.jsonl of `sluice datagen --output-dir`; without it
#                      the input is generated into .build-flink/input with $SLUICE_BENCH_BIN/sluice
#   --parallelism N    default 2
#   --events N         input events for events/s (default: the lines of both files)
#   --results FILE     append the TSV line there too (bench/run.sh's $results)
#   --sluice-rows FILE Sluice's rows: psql -c "\copy (SELECT checkout_id, click_id FROM
#                      commerce.attributed_checkouts) TO 'FILE'"
#   --summary FILE     write facts for bench/report.sh (versions, heap, check outcomes) as key<TAB>value
#   --no-check         only the timed runs
# Environment (options win): FLINK_BENCH_INPUT, FLINK_BENCH_PARALLELISM, FLINK_BENCH_EVENTS,
# FLINK_BENCH_RESULTS, FLINK_BENCH_SLUICE_ROWS, FLINK_BENCH_SUMMARY; SLUICE_BENCH_EVENTS (events
# to generate, default 1000000), SLUICE_BENCH_BIN (the folder of the sluice binary, as for
# bench/quick.sh; default .build/release), FLINK_BENCH_HEAP
# (the JVM's -Xmx, default 1536m: the heaps of Flink's default JobManager, 1024m, and TaskManager,
# 512m; jvm-default: none), FLINK_BENCH_STATE_BACKEND (hashmap, Flink's default, or
# rocksdb), FLINK_VERSION (2.3.0), FLINK_BENCH_DIR (.build-flink). Exits 1 if a check differs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=bench/flink/common.sh
source bench/flink/common.sh

input="${FLINK_BENCH_INPUT:-}"
parallelism="${FLINK_BENCH_PARALLELISM:-2}"
events="${FLINK_BENCH_EVENTS:-}"
results="${FLINK_BENCH_RESULTS:-}"
sluice_rows="${FLINK_BENCH_SLUICE_ROWS:-}"
summary="${FLINK_BENCH_SUMMARY:-}"
check="${FLINK_BENCH_CHECK:-1}"
heap="${FLINK_BENCH_HEAP:-1536m}"
state_backend="${FLINK_BENCH_STATE_BACKEND:-hashmap}"
# The sluice binary for generating the input: SLUICE_BENCH_BIN/sluice (bench/lib.sh's folder of
# binaries), else .build/release/sluice, else make bench's .build-release/release/sluice.
for sluice_bin in ${SLUICE_BENCH_BIN:+"$SLUICE_BENCH_BIN/sluice"} "$root/.build/release/sluice" "$root/.build-release/release/sluice"; do
  [ -x "$sluice_bin" ] && break
done
usage() { sed -n '/^# Usage:/,/Exits 1 if/p' "$root/bench/flink/run.sh" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --input) input="${2:?}"; shift 2 ;;
    --parallelism) parallelism="${2:?}"; shift 2 ;;
    --events) events="${2:?}"; shift 2 ;;
    --results) results="${2:?}"; shift 2 ;;
    --sluice-rows) sluice_rows="${2:?}"; shift 2 ;;
    --summary) summary="${2:?}"; shift 2 ;;
    --no-check) check=0; shift ;;
    -h|--help) usage ;;
    *) echo "bench-flink: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$parallelism" =~ ^[1-9][0-9]*$ ]] || { echo "bench-flink: parallelism '$parallelism' is not a positive integer" >&2; exit 2; }
[ -z "$events" ] || [[ "$events" =~ ^[1-9][0-9]*$ ]] || { echo "bench-flink: events '$events' is not a positive integer" >&2; exit 2; }
case "$state_backend" in hashmap|rocksdb) ;; *) echo "bench-flink: FLINK_BENCH_STATE_BACKEND must be hashmap or rocksdb" >&2; exit 2 ;; esac
[ -z "$sluice_rows" ] || [ -f "$sluice_rows" ] || { echo "bench-flink: --sluice-rows $sluice_rows: no such file" >&2; exit 2; }

bash bench/flink/setup.sh
java17="$(find_java17)" || { echo "bench-flink: Java 17 missing: run 'sudo apt-get install -y openjdk-17-jre-headless'" >&2; exit 1; }
# PyFlink starts `$JAVA_HOME/bin/java`; JVM_ARGS go first on its command line.
export JAVA_HOME="$(dirname "$(dirname "$java17")")"
if [ "$heap" = jvm-default ]; then
  export JVM_ARGS=""   # the JVM's own maximum heap: 1/4 of the RAM
  heap_text="the JVM's default heap (1/4 of RAM)"
else
  [[ "$heap" =~ ^[1-9][0-9]*[kKmMgG]$ ]] || { echo "bench-flink: FLINK_BENCH_HEAP '$heap' is not a -Xmx size (e.g. 1536m) or jvm-default" >&2; exit 2; }
  export JVM_ARGS="-Xmx$heap"
  heap_text="-Xmx$heap"
fi

run="$work/run"   # this run's logs, temporary files and CSV rows; replaced by the next run
rm -rf "$run"
mkdir -p "$run"
export FLINK_LOG_DIR="$run/log"

driver="" sampler=""
# Ends what this script started and is still running: the sampler, the PyFlink driver and the
# JVMs the sampler saw (each checked to still be a java process: a pid may have been reused).
cleanup() {
  local pid
  for pid in $sampler $driver; do kill "$pid" 2>/dev/null || true; done
  for pid in $(cat "$run/jvm.pids" 2>/dev/null || true); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ] && kill "$pid" 2>/dev/null || true
  done
  rm -rf "$run/tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "$input" ]; then
  input="$work/input"
  generate="${SLUICE_BENCH_EVENTS:-1000000}"
  [ -x "$sluice_bin" ] || { echo "bench-flink: no sluice binary at $sluice_bin: build it (swift build -c release) or set SLUICE_BENCH_BIN to its folder, or pass --input" >&2; exit 1; }
  echo "== Generating $generate events into $input (sluice datagen --seed 7, as make bench)"
  rm -rf "$input"
  mkdir -p "$input"
  # With --output-dir and --skip-users datagen touches neither PostgreSQL nor Kafka.
  "$sluice_bin" datagen --skip-users --events "$generate" --rate 0 --malformed-share 0 --seed 7 \
    --start-time "2026-11-20 00:00:00" --output-dir "$input" >/dev/null
fi
for file in clicks.jsonl checkouts.jsonl; do
  [ -s "$input/$file" ] || { echo "bench-flink: $input/$file is missing or empty" >&2; exit 1; }
done
input="$(cd "$input" && pwd)"
if [ -z "$events" ]; then events=$(( $(wc -l < "$input/clicks.jsonl") + $(wc -l < "$input/checkouts.jsonl") )); fi

# The Java processes started by the PyFlink driver (its gateway JVM runs the mini-cluster).
jvm_pids() {
  [ -n "$driver" ] || return 0
  local queue="$driver" pid child
  while [ -n "$queue" ]; do
    pid="${queue%% *}"; [ "$queue" = "$pid" ] && queue="" || queue="${queue#* }"
    for child in $(pgrep -P "$pid" || true); do
      queue="${queue:+$queue }$child"
      [ "$(cat "/proc/$child/comm" 2>/dev/null)" = java ] && echo "$child"
    done
  done
  return 0
}

# Every 200 ms until the driver exits: the summed VmRSS (kB) of its JVMs, one line into $1.
# (The process list is refreshed every second; VmRSS is read from /proc without forking.)
sample_rss() {
  local out="$1" n=0 pids="" pid total key value unit
  while kill -0 "$driver" 2>/dev/null; do
    if (( n % 5 == 0 )); then
      pids="$(jvm_pids)"
      [ -z "$pids" ] || echo $pids >> "$run/jvm.pids"
    fi
    total=0
    for pid in $pids; do
      while read -r key value unit; do
        if [ "$key" = "VmRSS:" ]; then total=$((total + value)); break; fi
      done < "/proc/$pid/status" 2>/dev/null || true
    done
    echo "$total" >> "$out"
    n=$((n + 1))
    sleep 0.2
  done
}

# Runs attribution.py: job $1 (attribution or read-parse), sink $2 (blackhole or csv); sets
# net_ms, wall_ms, peak_mib.
run_flink() {
  local job="$1" sink="$2" log="$run/$1-$2.log" rss="$run/$1-$2.rss" line
  : > "$rss"
  "$venv/bin/python" bench/flink/attribution.py --input "$input" --parallelism "$parallelism" --job "$job" \
    --sink "$sink" --output "$run/rows" --state-backend "$state_backend" --tmp-dir "$run/tmp" > "$log" 2>&1 &
  driver=$!
  sample_rss "$rss" & sampler=$!
  if ! wait "$driver"; then
    echo "bench-flink: the Flink job ($job, $sink sink) failed; the end of $log (Flink's own log: $FLINK_LOG_DIR):" >&2
    grep -v '^[[:space:]]*at ' "$log" | tail -n 25 >&2
    exit 1
  fi
  wait "$sampler" 2>/dev/null || true
  driver="" sampler=""
  # The gateway JVM ends when the driver closes its stdin: wait for it (at most 10 s), so that
  # no JVM of this run overlaps the next one.
  local pid tries
  for pid in $(cat "$run/jvm.pids" 2>/dev/null || true); do
    for tries in $(seq 50); do [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ] || break; sleep 0.2; done
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" != java ] || kill "$pid" 2>/dev/null || true
  done
  line="$(sed -n 's/^FLINK_RESULT //p' "$log")"
  [ -n "$line" ] || { echo "bench-flink: no FLINK_RESULT line in $log" >&2; exit 1; }
  net_ms="$(printf '%s' "$line" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["net_runtime_ms"])')"
  wall_ms="$(printf '%s' "$line" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["client_wall_ms"])')"
  peak_mib=$(( $(sort -n "$rss" | tail -n 1) / 1024 ))
}

# A timed run of job $1 into a blackhole sink, recorded as "LABEL<TAB>events/s<TAB>peak MiB<TAB>ms".
timed_run() {
  local job="$1" label="$2" tsv
  run_flink "$job" blackhole
  tsv="$(printf '%s\t%s\t%s\t%s' "$label" "$(( events * 1000 / (net_ms > 0 ? net_ms : 1) ))" "$peak_mib" "$net_ms")"
  echo "$tsv"
  echo "   (client side, execute() to the result, with SQL planning and the mini-cluster's start: $wall_ms ms)"
  printf '%s\n' "$tsv" >> "$work/results.tsv"
  [ -z "$results" ] || printf '%s\n' "$tsv" >> "$results"
}

state_label=""
[ "$state_backend" = rocksdb ] && state_label=", RocksDB state"
ceiling_label="Flink SQL read+parse ceiling (the attribution job's columns; one mini-cluster JVM), file, p=$parallelism"
label="Flink SQL attribution into a blackhole sink (attribution only, no enrichment; one mini-cluster JVM$state_label), file, p=$parallelism"
echo "== Flink $flink_version SQL: $events events from $input, parallelism $parallelism, $heap_text, $state_backend state"
echo "== Timed runs into blackhole sinks (label, events/s, peak Flink JVM RSS MiB, job ms)"
: > "$work/results.tsv"
timed_run read-parse "$ceiling_label"
timed_run attribution "$label"
timed_wall_ms="$wall_ms"

check_reference="not run" check_sluice="not run" failed=0
if [ "$check" = 1 ]; then
  echo "== Checked run into CSV files ($run/rows; checkpoints every 2 s commit them)"
  run_flink attribution csv
  echo "   done in $net_ms ms (events/s $(( events * 1000 / (net_ms > 0 ? net_ms : 1) )), peak RSS $peak_mib MiB; not a benchmark figure: checkpoints, CSV files)"
  echo "== Brute-force reference attribution (bench/flink/reference.py)"
  "$venv/bin/python" bench/flink/reference.py "$input" "$run/reference.tsv"
  if check_reference="$("$venv/bin/python" bench/flink/compare.py "$run/reference.tsv" "$run/rows" --expected-name reference --actual-name flink)"; then :; else failed=1; fi
  echo "$check_reference"
  check_reference="$(head -n 1 <<< "$check_reference")"
  if [ -n "$sluice_rows" ]; then
    if check_sluice="$("$venv/bin/python" bench/flink/compare.py "$sluice_rows" "$run/rows" --expected-name sluice --actual-name flink)"; then :; else failed=1; fi
    echo "$check_sluice"
    check_sluice="$(head -n 1 <<< "$check_sluice")"
  fi
fi

if [ -n "$summary" ]; then
  {
    printf 'flink_version\t%s\n' "$flink_version"
    printf 'java\t%s\n' "$("$java17" -version 2>&1 | head -n 1)"
    printf 'python\t%s\n' "$("$venv/bin/python" --version 2>&1)"
    printf 'heap\t%s\n' "$heap_text"
    printf 'state_backend\t%s\n' "$state_backend"
    printf 'label\t%s\n' "$label"
    printf 'client_wall_ms\t%s\n' "$timed_wall_ms"
    printf 'check_reference\t%s\n' "$check_reference"
    printf 'check_sluice\t%s\n' "$check_sluice"
  } > "$summary"
fi
if [ "$failed" = 1 ]; then echo "bench-flink: Flink's rows differ (see above)" >&2; exit 1; fi
echo "== Done: $work/results.tsv"
