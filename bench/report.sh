#!/usr/bin/env bash
# Renders bench/run.sh's results (TSV) and the machine's facts as BENCHMARKS.md on stdout.
set -euo pipefail
results="$1"
value() { awk -F'\t' -v label="$1" '$1 == label { print $2 }' "$results"; }
ceiling2="$(value "read+parse ceiling, file, p=2")"
job2="$(value "attribution, file source, p=2")"
input="${SLUICE_BENCH_INPUT:-}"
clicks="$( [ -n "$input" ] && wc -l < "$input/clicks.jsonl" || echo "?")"
checkouts="$( [ -n "$input" ] && wc -l < "$input/checkouts.jsonl" || echo "?")"
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

The Kafka runs read the same events from the dev broker, which runs on the same two cores. Its
CPU time during each run (\`/proc/PID/stat\`), to tell what the broker costs from what Sluice does:

| run | dev broker CPU (ms) | per million events (ms) |
|---|---:|---:|
$(awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "${SLUICE_BENCH_BROKER:-/dev/null}")

Apache Flink is not measured here: a comparison belongs in one run on one machine with the same
input (\`make bench-flink\`, not built yet), so no figure of another machine is quoted.

$(cat "$(dirname "${BASH_SOURCE[0]}")/limits.md")

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
