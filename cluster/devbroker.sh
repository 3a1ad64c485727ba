#!/usr/bin/env bash
# Starts and stops the dev Kafka broker: `devbroker`, which hosts librdkafka's in-memory mock
# cluster on 127.0.0.1 (a stand-in for Kafka in local runs and tests; all data is lost on stop).
#
# Usage: cluster/devbroker.sh start|stop|status
#
# Environment:
#   SLUICE_CLUSTER_DIR   state folder (default: $PWD/.cluster); uses pids/devbroker.pid,
#                        logs/devbroker.log and kafka.bootstrap (the address clients read) in it
#   SLUICE_BIN_DIR       folder holding the built `devbroker` (default: `swift build --show-bin-path`)
#   SLUICE_KAFKA_TOPICS  topics to create, NAME:PARTITIONS,... (default: clicks:8,checkouts:8)
#   SLUICE_KAFKA_BROKERS number of mock brokers (default: 1)
#   SLUICE_DEVBROKER_START_TIMEOUT  seconds `start` waits for the bootstrap file (default: 30)
#   SLUICE_DEVBROKER_CHECK_INTERVAL seconds between checks of partition start offsets (default: 5)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cluster_dir="${SLUICE_CLUSTER_DIR:-$PWD/.cluster}"
pid_file="$cluster_dir/pids/devbroker.pid"
log_file="$cluster_dir/logs/devbroker.log"
bootstrap_file="$cluster_dir/kafka.bootstrap"
topics="${SLUICE_KAFKA_TOPICS:-clicks:8,checkouts:8}"
brokers="${SLUICE_KAFKA_BROKERS:-1}"
start_timeout="${SLUICE_DEVBROKER_START_TIMEOUT:-30}"
check_interval="${SLUICE_DEVBROKER_CHECK_INTERVAL:-5}"

# shellcheck source=cluster/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

die() { echo "devbroker.sh: $*" >&2; exit 1; }

# Prints the pid of the running devbroker recorded in the pid file; fails when there is none
# (no file, a dead process, or a pid reused by another program).
running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "devbroker" ] || return 1
  echo "$pid"
}

# Whether the broker runs and has written its bootstrap address.
started() { [ -s "$bootstrap_file" ] && running_pid > /dev/null; }

log_tail() { [ -f "$log_file" ] && tail -n 20 "$log_file" | sed 's/^/    /' >&2 || true; }

start() {
  local pid
  if pid="$(running_pid)"; then
    echo "devbroker already running (pid $pid), bootstrap $(cat "$bootstrap_file" 2>/dev/null || echo '?')"
    return 0
  fi
  local bin_dir="${SLUICE_BIN_DIR:-}"
  if [ -z "$bin_dir" ]; then
    bin_dir="$(cd "$repo_root" && swift build --show-bin-path 2>/dev/null)" \
      || die "cannot find the build folder: set SLUICE_BIN_DIR or install Swift"
  fi
  local executable="$bin_dir/devbroker"
  [ -x "$executable" ] || die "$executable is not built: run 'swift build --product devbroker' (or set SLUICE_BIN_DIR)"

  local args=(--brokers "$brokers" --check-interval "$check_interval" --bootstrap-file "$bootstrap_file")
  local spec
  IFS=',' read -r -a specs <<< "$topics"
  for spec in "${specs[@]}"; do
    if [ -n "$spec" ]; then args+=(--topic "$spec"); fi
  done

  mkdir -p "$cluster_dir/pids" "$cluster_dir/logs"
  rm -f "$pid_file" "$bootstrap_file"
  echo "--- devbroker start $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$log_file"
  start_detached "$pid_file" "$log_file" "$executable" "${args[@]}"

  local outcome=0
  wait_until_started "$pid_file" "$start_timeout" started || outcome=$?
  case "$outcome" in
    0)
      echo "devbroker started (pid $(running_pid)), bootstrap $(cat "$bootstrap_file")"
      ;;
    1)
      echo "devbroker.sh: devbroker exited during start; last lines of $log_file:" >&2
      log_tail
      rm -f "$pid_file"
      exit 1
      ;;
    *)
      echo "devbroker.sh: devbroker did not write $bootstrap_file within ${start_timeout}s; last lines of $log_file:" >&2
      log_tail
      stop > /dev/null
      exit 1
      ;;
  esac
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file" "$bootstrap_file"
    echo "devbroker not running"
    return 0
  fi
  stop_pid devbroker "$pid" || die "devbroker (pid $pid) survived SIGKILL"
  rm -f "$pid_file" "$bootstrap_file"
  echo "devbroker stopped (pid $pid)"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "devbroker running (pid $pid), bootstrap $(cat "$bootstrap_file" 2>/dev/null || echo '?')"
  else
    echo "devbroker not running"
    exit 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
