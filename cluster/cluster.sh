#!/usr/bin/env bash
# Starts and stops a local Sluice cluster: PostgreSQL, the dev Kafka broker, one JobManager and
# N TaskManagers, all in the background with logs under $SLUICE_CLUSTER_DIR/logs.
#
# Usage: cluster/cluster.sh up|pipeline|down|restart|status|datagen-stop
#
# Environment:
#   SLUICE_CLUSTER_DIR     state folder (default: <repo>/.cluster)
#   SLUICE_BIN_DIR         folder with the built executables (default: `swift build --show-bin-path`)
#   SLUICE_CONFIG          YAML config (default: cluster/sluice.yaml)
#   SLUICE_TASKMANAGERS    how many TaskManagers (default: 2)
#   SLUICE_JOBMANAGER_RPC_PORT / SLUICE_JOBMANAGER_REST_PORT / SLUICE_PG_PORT  ports (6123 / 8081 / 54329)
#   SLUICE_CLUSTER_SECRET  the cluster secret (default: generated once into $SLUICE_CLUSTER_DIR/secret)
#   SLUICE_REST_TOKEN_FILE the REST token submit/cancel/stop need (default: generated once into
#                          $SLUICE_CLUSTER_DIR/rest-token; the sluice CLI reads the same variable)
#   SLUICE_EVENT_RATE      events/s the background generator streams for `pipeline` (default: 500)
#   SLUICE_TLS             1 (default): mutual TLS between the processes, with a CA and
#                          certificates `sluice certs init` writes once into $SLUICE_CLUSTER_DIR/certs;
#                          0: plaintext. Ignored when SLUICE_TLS_CA_FILE is set (your own files,
#                          then SLUICE_TLS_CERT_FILE and SLUICE_TLS_KEY_FILE too).
#   SLUICE_REST_TLS        off (default) | server: the REST API and web UI over HTTPS with the
#                          JobManager's certificate | mutual: clients also need a certificate of the
#                          cluster CA (the client certificate in $SLUICE_CLUSTER_DIR/certs). Needs TLS.
#
# `pipeline` = `up`, then the attribution schema, users, a continuous stream of generated
# clicks/checkouts and the submitted job (what `make run` does).
#
# `up` is idempotent: what already runs is left alone, so running it twice starts nothing twice.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$here")"
export SLUICE_CLUSTER_DIR="${SLUICE_CLUSTER_DIR:-$repo_root/.cluster}"
cluster_dir="$SLUICE_CLUSTER_DIR"
config="${SLUICE_CONFIG:-$here/sluice.yaml}"
taskmanagers="${SLUICE_TASKMANAGERS:-2}"
# Read here and not passed on (a build before TLS would refuse an unknown SLUICE_* variable).
tls_wanted="${SLUICE_TLS:-1}"
unset SLUICE_TLS
# Given to the JobManager only: the CLI and datagen calls below would otherwise read it as their
# own config and want TLS files of their own.
rest_tls="${SLUICE_REST_TLS:-off}"
unset SLUICE_REST_TLS
rpc_port="${SLUICE_JOBMANAGER_RPC_PORT:-6123}"
rest_port="${SLUICE_JOBMANAGER_REST_PORT:-8081}"
export SLUICE_JOBMANAGER_RPC_PORT="$rpc_port" SLUICE_JOBMANAGER_REST_PORT="$rest_port"
export SLUICE_JOBMANAGER_ADDRESS="${SLUICE_JOBMANAGER_ADDRESS:-127.0.0.1:$rpc_port}"
pids="$cluster_dir/pids"
logs="$cluster_dir/logs"
# Every process finds Kafka, PostgreSQL and its state folder in this cluster's folder.
export SLUICE_KAFKA_BOOTSTRAP_FILE="$cluster_dir/kafka.bootstrap"
export SLUICE_POSTGRES_URL_FILE="$cluster_dir/postgres.url"
export SLUICE_TASKMANAGER_WORK_DIR="$cluster_dir/taskmanager"
export SLUICE_CHECKPOINTS_DIR="$cluster_dir/checkpoints" SLUICE_HIGH_AVAILABILITY_DIR="$cluster_dir/ha"

# shellcheck source=cluster/lib.sh
source "$here/lib.sh"

die() { echo "cluster.sh: $*" >&2; exit 1; }

bin_dir() {
  if [ -z "${SLUICE_BIN_DIR:-}" ]; then
    SLUICE_BIN_DIR="$(cd "$repo_root" && swift build --show-bin-path)"
  fi
  export SLUICE_BIN_DIR
  for exe in jobmanager taskmanager devbroker sluice; do
    [ -x "$SLUICE_BIN_DIR/$exe" ] || die "$SLUICE_BIN_DIR/$exe is not built: run 'make run' (it builds first) or 'swift build'"
  done
}

# The pid recorded for NAME if that process still runs (and is ours), else nothing.
running_pid() {
  local file="$pids/$1.pid" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q "${2:-}" "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

# Starts NAME in the background unless it already runs.
start_process() {
  local name="$1"; shift
  if pid="$(running_pid "$name" "$(basename "$1")")"; then
    echo "  $name already running (pid $pid)"
    return
  fi
  (close_inherited_fds; exec setsid "$@" >>"$logs/$name.log" 2>&1 < /dev/null) &
  echo $! > "$pids/$name.pid"
  echo "  $name started (pid $!, log $logs/$name.log)"
}

# Runs the command with the cluster CA and NAME's certificate and key in the TLS variables when
# `up` made the cluster's certificates (`certs` set), as it is otherwise. Only the processes
# get them: every tls.* key or none, and the CLI and datagen need none.
with_certificate() {
  local name="$1"; shift
  if [ -n "${certs:-}" ]; then
    SLUICE_TLS_CA_FILE="$certs/ca.pem" SLUICE_TLS_CERT_FILE="$certs/$name.pem" SLUICE_TLS_KEY_FILE="$certs/$name-key.pem" "$@"
  else
    "$@"
  fi
}

# The REST address, https:// when SLUICE_REST_TLS is on.
rest_url() {
  if [ "$rest_tls" = off ]; then echo "http://127.0.0.1:$rest_port"; else echo "https://127.0.0.1:$rest_port"; fi
}

# The CA (and for SLUICE_REST_TLS=mutual the client certificate) a REST client needs, as
# options of curl and of the sluice CLI (the same names).
rest_client_options() {
  [ "$rest_tls" = off ] && return 0
  echo "--cacert ${SLUICE_TLS_CA_FILE:-$cluster_dir/certs/ca.pem}"
  if [ "$rest_tls" = mutual ]; then
    if [ -n "${certs:-}" ]; then
      echo "--cert $certs/client.pem --key $certs/client-key.pem"
    else
      echo "--cert ${SLUICE_TLS_CERT_FILE:-} --key ${SLUICE_TLS_KEY_FILE:-}"
    fi
  fi
}

# `sluice` job commands against this cluster's REST API.
sluice_rest() {
  local command="$1"; shift
  # shellcheck disable=SC2046
  "$SLUICE_BIN_DIR/sluice" "$command" "$@" --rest "$(rest_url)" $(rest_client_options)
}

stop_process() {
  local name="$1" pid
  pid="$(running_pid "$name")" || { rm -f "$pids/$name.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "  $name did not stop within 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pids/$name.pid"
  echo "  $name stopped"
}

taskmanager_count() {
  # shellcheck disable=SC2046
  curl -fsS $(rest_client_options) "$(rest_url)/overview" 2>/dev/null | grep -o '"taskmanagers":[0-9]*' | cut -d: -f2
}

# Polls CONDITION (a command) every 0.2 s until it holds or SECONDS pass.
wait_for() {
  local what="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

jobmanager_answers() { [ -n "$(taskmanager_count)" ]; }
all_taskmanagers_registered() { [ "$(taskmanager_count)" = "$taskmanagers" ]; }

up() {
  bin_dir
  mkdir -p "$pids" "$logs"
  if [ -z "${SLUICE_CLUSTER_SECRET:-}" ]; then
    if [ ! -s "$cluster_dir/secret" ]; then
      (umask 077; head -c 32 /dev/urandom | base64 > "$cluster_dir/secret")
    fi
    export SLUICE_CLUSTER_SECRET_FILE="$cluster_dir/secret"
  fi
  if [ -z "${SLUICE_REST_TOKEN_FILE+set}" ]; then
    if [ ! -s "$cluster_dir/rest-token" ]; then
      (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$cluster_dir/rest-token")
    fi
    export SLUICE_REST_TOKEN_FILE="$cluster_dir/rest-token"
  fi
  if [ "$tls_wanted" = 1 ] && [ -z "${SLUICE_TLS_CA_FILE:-}" ]; then
    if [ ! -s "$cluster_dir/certs/ca.pem" ]; then
      "$SLUICE_BIN_DIR/sluice" certs init "$cluster_dir/certs" >/dev/null || die "sluice certs init $cluster_dir/certs failed"
    fi
    certs="$cluster_dir/certs"
  fi
  if [ "$rest_tls" != off ] && [ -z "${certs:-}" ] && [ -z "${SLUICE_TLS_CA_FILE:-}" ]; then
    die "SLUICE_REST_TLS=$rest_tls serves HTTPS with the JobManager's certificate: leave TLS on (SLUICE_TLS=1) or give your own files (SLUICE_TLS_CA_FILE, ...)"
  fi
  echo "Starting the local Sluice cluster in $cluster_dir${certs:+ (mutual TLS, certificates in $certs)}"
  bash "$here/postgres.sh" start
  bash "$here/devbroker.sh" start
  SLUICE_REST_TLS="$rest_tls" with_certificate jobmanager start_process jobmanager "$SLUICE_BIN_DIR/jobmanager" start --config "$config"
  if ! wait_for "JobManager REST" 60 jobmanager_answers; then
    tail -n 20 "$logs/jobmanager.log" >&2 || true
    die "the JobManager did not answer on $(rest_url) within 60 s (log above: $logs/jobmanager.log)"
  fi
  for i in $(seq 1 "$taskmanagers"); do
    with_certificate taskmanager start_process "taskmanager-$i" "$SLUICE_BIN_DIR/taskmanager" join --config "$config"
  done
  if ! wait_for "TaskManagers" 60 all_taskmanagers_registered; then
    tail -n 20 "$logs"/taskmanager-*.log >&2 || true
    die "only $(taskmanager_count) of $taskmanagers TaskManagers registered within 60 s (logs above)"
  fi
  cat <<MSG

Sluice is up: 1 JobManager, $taskmanagers TaskManagers, PostgreSQL, dev Kafka broker (in-memory).
  Web UI / REST:  $(rest_url)/   (e.g. curl $(rest_client_options | tr '\n' ' ')$(rest_url)/overview)
  REST token:     ${SLUICE_REST_TOKEN_FILE:-none}   (submit/cancel/stop send it as 'Authorization: Bearer …')
  Metrics:        $(rest_url)/metrics
  PostgreSQL:     psql "$(cat "$cluster_dir/postgres.url")"
  Kafka:          bootstrap $(cat "$cluster_dir/kafka.bootstrap")
  Logs:           $logs/
  Stop:           make down    (data stays; make clean removes it)
MSG
}

# Stops the JobManager and the TaskManagers and starts them again (PostgreSQL, the broker and
# their data stay): how a benchmark switches SLUICE_TLS within one run.
restart() {
  if [ -d "$pids" ]; then
    for file in "$pids"/taskmanager-*.pid; do
      if [ -e "$file" ]; then stop_process "$(basename "$file" .pid)"; fi
    done
    stop_process jobmanager
  fi
  up
}

down() {
  echo "Stopping the local Sluice cluster in $cluster_dir"
  bash "$here/monitor.sh" stop
  if [ -d "$pids" ]; then
    stop_process datagen
    for file in "$pids"/taskmanager-*.pid; do
      if [ -e "$file" ]; then stop_process "$(basename "$file" .pid)"; fi
    done
    stop_process jobmanager
  fi
  bash "$here/devbroker.sh" stop
  bash "$here/postgres.sh" stop
  # The dev broker keeps its topics in memory only: checkpointed offsets and the JobManager's
  # HA records would point past the end of the next broker's empty topics, so they go too.
  rm -rf "$cluster_dir/ha" "$cluster_dir/checkpoints"
}

# The id of a job named NAME that is not finished, failed or cancelled, if any.
active_job() {
  sluice_rest list 2>/dev/null \
    | awk -v name="$1" '$3 == name && ($2 == "RUNNING" || $2 == "CREATED" || $2 == "RESTARTING") { print $1; exit }'
}

pipeline() {
  up
  local url
  url="$(cat "$cluster_dir/postgres.url")"
  echo "Preparing the attribution pipeline"
  PGOPTIONS="-c client_min_messages=warning" psql -q -v ON_ERROR_STOP=1 "$url" -f "$here/schema.sql" >/dev/null
  if [ -z "$(psql -tA "$url" -c 'SELECT 1 FROM commerce.users LIMIT 1')" ]; then
    "$SLUICE_BIN_DIR/sluice" datagen --users-only --postgres "$url" --kafka "$(cat "$cluster_dir/kafka.bootstrap")"
  fi
  start_process datagen "$SLUICE_BIN_DIR/sluice" datagen --skip-users --events 0 --rate "${SLUICE_EVENT_RATE:-500}" \
    --postgres "$url" --kafka "$(cat "$cluster_dir/kafka.bootstrap")"
  local job
  job="$(submit_once checkout-attribution)"
  # The two library jobs at parallelism 1: with the attribution job's 2 they fill the 4 slots of
  # 2 TaskManagers.
  submit_once product-revenue --parallelism 1 >/dev/null
  submit_once trending-products --parallelism 1 >/dev/null
  cat <<MSG

Three jobs run on the same clicks and checkouts (sluice list). Rows reach their tables as the
watermark passes them (15 s out-of-orderness). Watch the attribution arrive:
  psql "$url" -c "SELECT checkout_id, click_id, checkout_time, click_time, user_name FROM commerce.attributed_checkouts ORDER BY checkout_time DESC LIMIT 5;"
Revenue per product and minute, and the trending products per 10 minutes:
  psql "$url" -c "SELECT * FROM commerce.product_revenue_minutely ORDER BY window_start DESC, revenue DESC LIMIT 5;"
  psql "$url" -c "SELECT * FROM commerce.trending_products ORDER BY window_start DESC, rank LIMIT 5;"
Job status: sluice status $job        (sluice list, sluice kinds, sluice --help; the commands are on PATH
            after make run or make install, else call $SLUICE_BIN_DIR/sluice)
End the input and check the attribution exactly (README, "Verify a live pipeline"):
  make datagen-stop; sluice status $job   # until the sources show 'not yet read 0'
  sluice stop --drain $job && sluice verify
MSG
  if [ "$rest_tls" != off ]; then
    echo "The REST API is HTTPS (SLUICE_REST_TLS=$rest_tls): give sluice --rest $(rest_url) $(rest_client_options | tr '\n' ' ')"
  fi
}

# Submits jobs/$1.yaml (further arguments go to sluice submit) unless a job of that name is
# active; prints the job's id.
submit_once() {
  local name="$1" job
  shift
  job="$(active_job "$name" || true)"
  if [ -n "$job" ]; then
    echo "  job $name already running ($job)" >&2
  else
    job="$(sluice_rest submit "$repo_root/jobs/$name.yaml" "$@")"
    echo "  job $name submitted ($job)" >&2
  fi
  echo "$job"
}

status() {
  for file in "$pids"/*.pid; do
    [ -e "$file" ] || continue
    name="$(basename "$file" .pid)"
    if pid="$(running_pid "$name")"; then echo "$name: running (pid $pid)"; else echo "$name: stopped"; fi
  done
  bash "$here/postgres.sh" status || true
}

# Stops only the background generator `make run` started; the cluster and the jobs keep running.
datagen_stop() {
  if running_pid datagen >/dev/null; then
    stop_process datagen
    echo "The generator stopped; the jobs keep running and read what is left (sluice status JOB: 'not yet read 0')."
  else
    rm -f "$pids/datagen.pid"
    echo "No generator is running in $cluster_dir."
  fi
}

case "${1:-}" in
  up) up ;;
  pipeline) pipeline ;;
  down) down ;;
  restart) restart ;;
  status) status ;;
  datagen-stop) datagen_stop ;;
  *) echo "usage: cluster/cluster.sh up|pipeline|down|restart|status|datagen-stop" >&2; exit 2 ;;
esac
