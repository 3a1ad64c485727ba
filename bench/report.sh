#!/usr/bin/env bash
# Renders bench/run.sh's results (TSV) and the machine's facts as BENCHMARKS.md on stdout.
set -euo pipefail
results="$1"
value() { awk -F'\t' -v label="$1" '$1 == label { print $2 }' "$results"; }
ceiling2="$(value "read+parse ceiling, file, p=2")"
job2="$(value "attribution, file source, p=2")"
kafka2="$(value "attribution, Kafka source, p=2")"
input="${SLUICE_BENCH_INPUT:-}"
clicks="$( [ -n "$input" ] && wc -l < "$input/clicks.jsonl" || echo "?")"
checkouts="$( [ -n "$input" ] && wc -l < "$input/checkouts.jsonl" || echo "?")"
# The Apache Flink paragraph: bench/flink/run.sh's rows in $results and its facts (--summary) in
# $SLUICE_BENCH_FLINK; says so when the peer did not run.
flink_section() {
  local facts="${SLUICE_BENCH_FLINK:-}" flink flink_rss blackhole blackhole_rss complete complete_rss
  if [ -z "$facts" ] || [ ! -s "$facts" ]; then
    echo "Apache Flink was not measured in this run (\`make bench-flink\` runs it alone; the bench log says why)."
    return
  fi
  fact() { awk -F'\t' -v key="$1" '$1 == key { print $2 }' "$facts"; }
  rss() { awk -F'\t' -v label="$1" '$1 == label { print $3 }' "$results"; }
  ratio() { awk -v a="${1:-0}" -v b="${2:-0}" -v f="${3:-%.1f}" 'BEGIN { printf f, (b > 0 ? a / b : 0) }'; }
  flink="$(awk -F'\t' '$1 ~ /^Flink SQL attribution/ { print $2 }' "$results")"
  flink_rss="$(awk -F'\t' '$1 ~ /^Flink SQL attribution/ { print $3 }' "$results")"
  blackhole="$(value "attribution into a blackhole sink (no enrichment, no PostgreSQL), file, p=2")"
  blackhole_rss="$(rss "attribution into a blackhole sink (no enrichment, no PostgreSQL), file, p=2")"
  complete="$job2"
  complete_rss="$(rss "attribution, file source, p=2")"
  cat <<FLINK
**Apache Flink on the same input, in the same run** (the "Flink SQL" rows; \`make bench-flink\`,
bench/flink/README.md): the attribution as Flink SQL (an event-time interval LEFT JOIN of each
checkout with the clicks of the hour before it, then a window Top-1, the earliest click with the
smaller click_id on ties, per checkout) in Apache Flink $(fact flink_version) (PyPI \`apache-flink\`,
$(fact java), $(fact python)), streaming mode, a local mini-cluster (JobManager, TaskManager and
the SQL planner in one JVM, $(fact heap), $(fact state_backend) state), parallelism 2, the same
JSONL files, watermarks 15 s behind, a blackhole sink. Flink's duration is its own (job submitted
to FINISHED), as Sluice's.

| Sluice run vs Flink's attribution | events/s | ratio | peak RSS (MiB) | ratio |
|---|---:|---:|---:|---:|
| attribution only, blackhole sink (the like-for-like run) | $blackhole vs $flink | **$(ratio "$blackhole" "$flink") ×** | $blackhole_rss vs $flink_rss | $(ratio "$blackhole_rss" "$flink_rss" "%.2f") |
| the complete job (enrichment from PostgreSQL, exactly-once sink, checkpoints) | $complete vs $flink | **$(ratio "$complete" "$flink") ×** | $complete_rss vs $flink_rss | $(ratio "$complete_rss" "$flink_rss" "%.2f") |

Sluice's RSS is both TaskManagers (the JobManager not counted); Flink's the whole JVM, whose heap
fills whatever -Xmx allows. Flink's rows (a checked run into CSV files, checkout_id → click_id or
NULL) against Sluice's p=2 file run and against a brute-force Python attribution
(bench/flink/reference.py):
- $(fact check_sluice)
- $(fact check_reference)
FLINK
}

# The netem paragraph from the multi-host test's line (SLUICE_BENCH_NETEM); says so when it did not run.
netem_section() {
  local line="" field
  [ -n "${SLUICE_BENCH_NETEM:-}" ] && line="$(grep -m1 '^netem-throughput' "$SLUICE_BENCH_NETEM" 2>/dev/null || true)"
  if [ -z "$line" ]; then
    echo "Not measured in this run (the multi-host test failed or did not run; its log is netem.log in the bench folder)."
    return
  fi
  field() { tr ' ' '\n' <<< "$line" | awk -F= -v key="$1" '$1 == key { print $2 }'; }
  if grep -q '✘' "$SLUICE_BENCH_NETEM"; then
    echo "**The multi-host test reported a failure in this run** (netem.log in the bench folder): the figures below are not backed by an equal output."
    echo
  fi
  cat <<NETEM
The bounded attribution (parallelism 2, exactly-once PostgreSQL sink, checkpoints every 1 s) on
$(field events) events across network-namespace hosts: a JobManager, three one-slot TaskManagers (so
the keyed exchange crosses hosts), PostgreSQL and the dev broker, each in its own namespace on a
bridge. First on clean links, then with every TaskManager's packets from the other TaskManagers
delayed 50 ± 10 ms and 1 % of them dropped; both runs finish without a restart and \`sluice
verify\` finds 0 missing, 0 extra, 0 different after each (MultiHostTests, same cluster, same run).

| links | job (s) | events/s |
|---|---:|---:|
| clean | $(field clean_s) | $(field clean_eps) |
| 50 ± 10 ms, 1 % loss | $(field netem_s) | $(field netem_eps) |

With the degraded links the job runs at **$(awk -v r="$(field ratio)" 'BEGIN { printf "%.0f", r * 100 }') %** of its clean-link speed
($(field delayed) packets delayed, $(field dropped) dropped). This kernel has no \`sch_netem\`, so the delay is a
netfilter queue whose packets a small program (cluster/netem/nfq_delay.c) releases after their delay
and the loss is netfilter's statistic match, both on the receiving host (cluster/netns.sh netem).
NETEM
}

cat <<MD
# Benchmarks

Produced by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d).

**Machine:** $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores,
$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr), $(swift --version 2>/dev/null | head -n 1).
Cluster: 1 JobManager + 2 TaskManagers (2 slots each) on this one machine, PostgreSQL 15 and the
dev Kafka broker (librdkafka's in-memory mock cluster) on loopback; release build.

**Input:** ${SLUICE_BENCH_EVENTS} events from \`sluice datagen --seed 7\` ($clicks clicks, $checkouts
checkouts; 1,000 users with renames, 200 products, repeat purchases, checkouts without a click
and by unknown users), as JSONL files or the same events in Kafka topics (32 + 16 partitions, lz4).

## Throughput

Events/s = input events / job duration (submission to FINISHED, including deployment).

| run | events/s | peak TaskManager RSS (both, MiB) |
|---|---:|---:|
$(awk -F'\t' '$1 !~ /^latency/ { printf "| %s | %s | %s |\n", $1, $2, $3 }' "$results")

The attribution job at parallelism 2 reaches **$(( job2 * 100 / (ceiling2 > 0 ? ceiling2 : 1) )) %** of the
read+parse ceiling measured in the same run (target: at least 40 %).

The attribution job from Kafka at parallelism 2 reaches **$(( ${kafka2:-0} * 100 / (job2 > 0 ? job2 : 1) )) %** of the same
job from the JSONL files in the same run (target: at least 80 %).
$(tls_mean() { awk -F'\t' -v mode="$1" 'index($1, "TLS " mode " (round") { s += $2; n++ } END { if (n) printf "%d", s / n }' "$results"; }
tls_off="$(tls_mean off)"; tls_on="$(tls_mean on)"
if [ -n "$tls_off" ] && [ -n "$tls_on" ]; then
  echo "With mutual TLS 1.3 between the JobManager and the TaskManagers and on every data connection, the"
  echo "attribution job at parallelism 2 runs at **$(( tls_on * 100 / (tls_off > 0 ? tls_off : 1) )) %** of its plaintext speed ($tls_on against"
  echo "$tls_off events/s, means of two rounds each, alternating, same run)."
fi)

The Kafka runs read the same events from the dev broker, which runs on the same two cores. Its
CPU time during each run (\`/proc/PID/stat\`), to tell what the broker costs from what Sluice does:

| run | dev broker CPU (ms) | per million events (ms) |
|---|---:|---:|
$(awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "${SLUICE_BENCH_BROKER:-/dev/null}")

$(flink_section)

$(cat "$(dirname "${BASH_SOURCE[0]}")/limits.md")

## Slow and lossy links between TaskManagers

$(netem_section)

## Latency

Eager emit mode, parallelism 2, ${SLUICE_BENCH_LATENCY_RATE} events/s generated with event time = wall
clock, no disorder; latency = commit time of the row (\`pg_xact_commit_timestamp\`: when a reader
can first see it) − checkout event time. Exactly-once rows become visible when their checkpoint
completes, so their latency includes up to one checkpoint interval.

$(awk -F'\t' '$1 ~ /^latency/ { printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$results" | sed '1i | run | rows | p50 | p99 |\n|---|---|---|---|')

## Checkpoints

The attribution job at parallelism 2 on a live stream of 2,000 events/s (checkpoint interval 1 s,
exactly-once sink), its checkpoints 11–20 (the REST history keeps the last 10). State = all keyed
and operator state the checkpoint references; uploaded = bytes that checkpoint wrote (RocksDB SST
files already in storage are referenced, not copied again). The bounded throughput runs above
take few checkpoints: once one source of a bounded job has finished, no further checkpoint is
triggered (see the README). A row where uploaded = state follows a RocksDB compaction that
rewrote every SST file (with a state this small there are only a few files, each rewritten by
the next L0 compaction); between compactions only the new flush is uploaded.

| checkpoint | state (KiB) | uploaded (KiB) | end-to-end (ms) |
|---:|---:|---:|---:|
$(awk -F'\t' '{ printf "| %s | %d | %d | %s |\n", $1, $2 / 1024, $3 / 1024, $4 }' "${SLUICE_BENCH_CHECKPOINTS:-/dev/null}")

## Recovery

A TaskManager hosting tasks of the running attribution job (parallelism 2, 3 TaskManagers, so one
spare) is SIGKILLed ${SLUICE_BENCH_KILLS:-5} times, each time after a checkpoint completed; measured from the kill.
Target: RUNNING again within 3 s.

| kill | job RUNNING again (ms) | first new row committed (ms) |
|---:|---:|---:|
$(awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "${SLUICE_BENCH_RECOVERY:-/dev/null}")

Median: **$(cut -f2 "${SLUICE_BENCH_RECOVERY:-/dev/null}" | sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "?") }') ms** to RUNNING,
**$(cut -f3 "${SLUICE_BENCH_RECOVERY:-/dev/null}" | sort -n | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "?") }') ms** to the first new committed row.
MD
