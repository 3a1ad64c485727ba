#!/usr/bin/env bash
# A quick measuring loop for work on the hot path: one private cluster, the read+parse ceiling
# and the attribution job from files, both at parallelism 2; prints events/s, peak TaskManager
# RSS and the number of rows the job wrote. Uses bench/lib.sh (the functions of `make bench`).
#
# Environment: SLUICE_BENCH_EVENTS (default 1000000); SLUICE_BENCH_BIN runs the binaries in that
# folder instead of building (A/B runs); SLUICE_BENCH_PERF=1 records a perf profile
# of each TaskManager during the attribution run into .cluster/quick/perf-<pid>.data;
# SLUICE_BENCH_NOSINK=1 also runs the attribution into a blackhole sink (no enrichment, no
# PostgreSQL), to tell the job's own cost from the database's; SLUICE_BENCH_HOOK runs a command
# once the attribution job is submitted; SLUICE_BENCH_P1=1 also runs the attribution at p=1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Own folder and ports, so it can run beside `make bench`.
export SLUICE_BENCH_CLUSTER_DIR="$root/.cluster/quick"
export SLUICE_JOBMANAGER_RPC_PORT=16310 SLUICE_JOBMANAGER_REST_PORT=18310 SLUICE_PG_PORT=54340
# shellcheck source=bench/lib.sh
source bench/lib.sh

bench_build
trap bench_cleanup EXIT
bench_cluster_with_input

run_job "read+parse ceiling, file, p=2" 2 "$(file_spec blackhole)"
if [ -n "${SLUICE_BENCH_HOOK:-}" ]; then export BENCH_ON_RUNNING="$SLUICE_BENCH_HOOK"; fi
if [ "${SLUICE_BENCH_PERF:-0}" = 1 ]; then
  BENCH_ON_RUNNING="sleep 1; for pid in $(taskmanager_pids | tr '\n' ' '); do perf record -F 1999 -g -o '$SLUICE_CLUSTER_DIR'/perf-\$pid.data -p \$pid -- sleep 3 >/dev/null 2>&1 & done; wait"
  export BENCH_ON_RUNNING
fi
run_job "attribution, file source, p=2" 2 "$(file_spec attribution)"
if [ "${SLUICE_BENCH_P1:-0}" = 1 ]; then
  psql -q "$pg" -c "TRUNCATE commerce.attributed_checkouts" >/dev/null
  run_job "attribution, file source, p=1" 1 "$(file_spec attribution)"
fi
if [ "${SLUICE_BENCH_NOSINK:-0}" = 1 ]; then
  run_job "attribution without enrichment and sink (blackhole), p=2" 2 "$(file_spec attribution-blackhole)"
fi
unset BENCH_ON_RUNNING
echo "rows written: $(psql -tA "$pg" -c 'SELECT count(*) FROM commerce.attributed_checkouts')"
