#!/usr/bin/env bash
# Starts and stops Prometheus (Debian's `prometheus`) scraping a running local Sluice cluster:
# the JobManager and every TaskManager, found through the JobManager's service discovery
# (GET /prometheus/targets, see cluster/prometheus.yml).
#
# Usage: cluster/monitor.sh [start]|stop|status      (`make monitor` = start; `make down` stops it)
#
# Environment:
#   SLUICE_CLUSTER_DIR           state folder (default: <repo>/.cluster); uses prometheus/ (config
#                                and data), pids/prometheus.pid and logs/prometheus.log in it
#   SLUICE_JOBMANAGER_REST_PORT  the JobManager's REST port (default: 8081)
#   MONITOR_PORT                 Prometheus's own port on 127.0.0.1 (default: 9090)
#   SLUICE_MONITOR_START_TIMEOUT seconds `start` waits for Prometheus to be ready (default: 60)
#
# `start` is idempotent: a Prometheus already started from this folder is left alone.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$here")"
cluster_dir="${SLUICE_CLUSTER_DIR:-$repo_root/.cluster}"
rest_port="${SLUICE_JOBMANAGER_REST_PORT:-8081}"
port="${MONITOR_PORT:-9090}"
start_timeout="${SLUICE_MONITOR_START_TIMEOUT:-60}"
state_dir="$cluster_dir/prometheus"
config_file="$state_dir/prometheus.yml"
# The address a running Prometheus listens on, so `start` again names the right URL.
address_file="$state_dir/listen-address"
pid_file="$cluster_dir/pids/prometheus.pid"
log_file="$cluster_dir/logs/prometheus.log"

# shellcheck source=cluster/lib.sh
source "$here/lib.sh"

die() { echo "monitor.sh: $*" >&2; exit 1; }

# Prints the pid of the Prometheus recorded in the pid file; fails when there is none (no
# file, a dead or zombie process, or a pid reused by another program).
running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "prometheus" ] || return 1
  echo "$pid"
}

log_tail() { [ -f "$log_file" ] && tail -n 20 "$log_file" | sed 's/^/    /' >&2 || true; }

print_usage_hints() {
  local url="http://$1"
  cat <<MSG

Prometheus scrapes the Sluice cluster (JobManager http://127.0.0.1:$rest_port, TaskManagers from
http://127.0.0.1:$rest_port/prometheus/targets):
  Prometheus UI:  $url/
  Targets:        $url/targets
  Sample query:   curl -s '$url/api/v1/query?query=sum%20by%20(vertex)%20(rate(sluice_task_records_in_total%5B1m%5D))'
  Grafana:        import cluster/grafana/sluice-dashboard.json, choose this Prometheus as its data source
  Stop:           make down    (or: bash cluster/monitor.sh stop)
MSG
}

# Whether our Prometheus runs and answers ready on $1 (not another server on that port).
ready() { running_pid > /dev/null && curl -fsS -o /dev/null "http://$1/-/ready" 2>/dev/null; }

start() {
  bash "$here/install-packages.sh" prometheus curl
  local pid
  if pid="$(running_pid)"; then
    local address
    address="$(cat "$address_file" 2>/dev/null || echo "127.0.0.1:$port")"
    echo "prometheus already running (pid $pid) on http://$address/"
    print_usage_hints "$address"
    return 0
  fi
  curl -fsS -o /dev/null "http://127.0.0.1:$rest_port/overview" 2>/dev/null \
    || die "no JobManager answers on http://127.0.0.1:$rest_port: start the cluster first: make run (or set SLUICE_JOBMANAGER_REST_PORT)"

  mkdir -p "$state_dir/data" "$cluster_dir/pids" "$cluster_dir/logs"
  if [ "$rest_port" = "8081" ]; then
    cp "$here/prometheus.yml" "$config_file"
  else
    sed "s#http://127.0.0.1:8081/prometheus/targets#http://127.0.0.1:$rest_port/prometheus/targets#" \
      "$here/prometheus.yml" > "$config_file"
  fi
  local address="127.0.0.1:$port"
  echo "$address" > "$address_file"
  echo "--- prometheus start $(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$log_file"
  start_detached "$pid_file" "$log_file" prometheus --config.file="$config_file" \
    --storage.tsdb.path="$state_dir/data" --web.listen-address="$address"

  local outcome=0
  wait_until_started "$pid_file" "$start_timeout" ready "$address" || outcome=$?
  case "$outcome" in
    0) ;;
    1)
      echo "monitor.sh: prometheus exited during start (port $port taken? set MONITOR_PORT); last lines of $log_file:" >&2
      log_tail
      rm -f "$pid_file"
      exit 1
      ;;
    *)
      echo "monitor.sh: prometheus was not ready on http://$address/-/ready within ${start_timeout}s; last lines of $log_file:" >&2
      log_tail
      stop > /dev/null
      exit 1
      ;;
  esac
  echo "prometheus started (pid $(running_pid || echo '?'), log $log_file) on http://$address/"
  print_usage_hints "$address"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file"
    echo "prometheus not running"
    return 0
  fi
  stop_pid prometheus "$pid" || die "prometheus (pid $pid) survived SIGKILL"
  rm -f "$pid_file"
  echo "prometheus stopped (pid $pid)"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "prometheus running (pid $pid) on http://$(cat "$address_file" 2>/dev/null || echo '?')/"
  else
    echo "prometheus not running"
    exit 3
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 [start]|stop|status" >&2; exit 2 ;;
esac
