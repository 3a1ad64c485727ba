#!/usr/bin/env bash
# Starts and stops a private PostgreSQL server (Debian's packaged binaries) for a local cluster
# and for tests: own data dir, own port, listening on 127.0.0.1 only, trust auth for local and
# loopback connections, max_prepared_transactions for the two-phase-commit sink.
#
# Usage: cluster/postgres.sh start|stop|status|url
#
# Environment:
#   SLUICE_CLUSTER_DIR  state folder (default: $PWD/.cluster); data in postgres/data, log in
#                       logs/postgres.log, connection URL written to postgres.url
#   SLUICE_PG_PORT      TCP port (default: 54329)
#   SLUICE_PG_HOST      the address to listen on and put in the URL (default: 127.0.0.1); any
#                       other address also listens on 127.0.0.1 and trusts its own subnet
#                       (samenet), for a server on a host of a test network (cluster/netns.sh)
#   SLUICE_PG_BIN       folder with initdb/pg_ctl (default: the newest /usr/lib/postgresql/*/bin)
#   SLUICE_PG_START_TIMEOUT  seconds `start` waits for the server to accept connections (default: 60)
#
# When run as root, the server runs as the `postgres` OS user. If that user cannot reach the
# cluster folder (e.g. it is under a private home directory), or the socket path would be too
# long, the server's files go to a folder under /tmp instead; the script says so.
set -euo pipefail

# shellcheck source=cluster/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

die() { echo "postgres.sh: $*" >&2; exit 1; }

port="${SLUICE_PG_PORT:-54329}"
host="${SLUICE_PG_HOST:-127.0.0.1}"
[[ "$host" =~ ^[0-9.]+$ ]] || die "SLUICE_PG_HOST must be an IPv4 address, got '$host'"
[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "SLUICE_PG_PORT must be a port number, got '$port'"
cluster_dir="${SLUICE_CLUSTER_DIR:-$PWD/.cluster}"
mkdir -p "$cluster_dir/logs"
cluster_dir="$(cd "$cluster_dir" && pwd)"
start_timeout="${SLUICE_PG_START_TIMEOUT:-60}"
log_link="$cluster_dir/logs/postgres.log"
url_file="$cluster_dir/postgres.url"
location_file="$cluster_dir/postgres.location"

find_bin() {
  if [ -n "${SLUICE_PG_BIN:-}" ]; then
    echo "$SLUICE_PG_BIN"
    return
  fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$newest" ] || die "no PostgreSQL server found under /usr/lib/postgresql: install it with 'apt-get install postgresql' (make setup does)"
  echo "$newest"
}
pg_bin="$(find_bin)"
for tool in initdb pg_ctl pg_isready psql; do
  [ -x "$pg_bin/$tool" ] || die "$pg_bin/$tool is missing: install the 'postgresql' package or set SLUICE_PG_BIN"
done

as_root=false
[ "$(id -u)" -eq 0 ] && as_root=true
if $as_root; then
  id -u postgres > /dev/null 2>&1 || die "running as root needs the 'postgres' OS user (the 'postgresql' package creates it)"
fi

# Runs a server tool as the user that owns the data dir (postgres when we are root), from /.
as_server_user() {
  if $as_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# The first folder on the way to $1 the postgres user cannot enter, if any.
first_blocked_folder() {
  local path="$1" walk=""
  local part
  IFS='/' read -r -a parts <<< "${path#/}"
  for part in "${parts[@]}"; do
    walk="$walk/$part"
    [ -d "$walk" ] || break
    if ! runuser -u postgres -- test -x "$walk" 2>/dev/null; then
      echo "$walk"
      return
    fi
  done
}

# Where the server's files live: $cluster_dir/postgres, or a fallback under /tmp (remembered in
# postgres.location so that stop/status/url find the same server).
choose_base() {
  if [ -f "$location_file" ]; then
    cat "$location_file"
    return
  fi
  local base="$cluster_dir/postgres" reason=""
  if $as_root; then
    local blocked
    blocked="$(first_blocked_folder "$cluster_dir")"
    [ -z "$blocked" ] || reason="the postgres OS user cannot enter $blocked"
  fi
  # A Unix socket path must fit in 107 bytes.
  if [ -z "$reason" ] && [ "${#base}" -gt 80 ]; then
    reason="the socket path under $base would be too long"
  fi
  if [ -n "$reason" ]; then
    base="/tmp/sluice-postgres-$(printf '%s' "$cluster_dir" | md5sum | cut -c1-12)"
    echo "postgres.sh: $reason; keeping the server's files in $base instead" >&2
  fi
  echo "$base"
}

base="$(choose_base)"
data_dir="$base/data"
socket_dir="$base/run"
# The server writes its log into the cluster's logs folder, or (fallback) next to its data with a link there.
if [ "$base" = "$cluster_dir/postgres" ]; then server_log="$log_link"; else server_log="$base/postgres.log"; fi

is_running() {
  [ -f "$data_dir/PG_VERSION" ] && as_server_user "$pg_bin/pg_ctl" status -D "$data_dir" > /dev/null 2>&1
}

# The port of the running server, from postmaster.pid (line 4), else the configured one.
running_port() {
  sed -n 4p "$data_dir/postmaster.pid" 2>/dev/null || echo "$port"
}

url_for() { echo "postgresql://sluice@$host:$1/sluice"; }

log_tail() {
  if [ -f "$server_log" ]; then
    echo "last lines of $server_log:" >&2
    tail -n 30 "$server_log" | sed 's/^/    /' >&2
  fi
}

init_cluster() {
  mkdir -p "$base"
  if $as_root; then chown postgres:postgres "$base"; fi
  chmod 700 "$base"
  echo "initialising PostgreSQL data dir $data_dir"
  as_server_user "$pg_bin/initdb" -D "$data_dir" --username=postgres --auth=trust --encoding=UTF8 --locale=C \
    > "$base/initdb.log" 2>&1 || { cat "$base/initdb.log" >&2; die "initdb failed for $data_dir"; }
  echo "include_if_exists = 'sluice.conf'" | as_server_user tee -a "$data_dir/postgresql.conf" > /dev/null
}

write_settings() {
  as_server_user mkdir -p "$socket_dir"
  local listen="127.0.0.1" subnet=""
  if [ "$host" != 127.0.0.1 ]; then
    listen="$host,127.0.0.1"
    subnet="host    all   all   samenet       trust"
  fi
  as_server_user tee "$data_dir/pg_hba.conf" > /dev/null <<HBA
# Sluice dev/test server: only this machine (and a test network's own subnet), no passwords.
local   all   all                 trust
host    all   all   127.0.0.1/32  trust
$subnet
HBA
  as_server_user tee "$data_dir/sluice.conf" > /dev/null <<CONF
# Written by cluster/postgres.sh on every start.
listen_addresses = '$listen'
port = $port
unix_socket_directories = '$socket_dir'
max_prepared_transactions = 64
# Commit times of rows (pg_xact_commit_timestamp): make bench measures latency to visibility.
track_commit_timestamp = on
max_connections = 100
fsync = on
logging_collector = off
CONF
}

psql_admin() {
  "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$1" -U postgres -d postgres -tA -c "$2"
}

ensure_role_and_database() {
  local p="$1"
  if [ "$(psql_admin "$p" "SELECT 1 FROM pg_roles WHERE rolname = 'sluice'")" != "1" ]; then
    psql_admin "$p" "CREATE ROLE sluice LOGIN SUPERUSER"
  fi
  if [ "$(psql_admin "$p" "SELECT 1 FROM pg_database WHERE datname = 'sluice'")" != "1" ]; then
    psql_admin "$p" "CREATE DATABASE sluice OWNER sluice"
  fi
}

write_url() {
  local url tmp
  url="$(url_for "$1")"
  tmp="$url_file.tmp-$$"
  echo "$url" > "$tmp"
  mv -f "$tmp" "$url_file"
  echo "$url"
}

wait_ready() {
  local p="$1" deadline=$((SECONDS + start_timeout))
  until "$pg_bin/pg_isready" -q -h "$host" -p "$p" -t 1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail
      die "PostgreSQL on port $p did not accept connections within ${start_timeout}s"
    fi
    sleep 0.2
  done
}

start() {
  if is_running; then
    local p
    p="$(running_port)"
    wait_ready "$p"
    ensure_role_and_database "$p"
    echo "PostgreSQL already running on $host:$p (data $data_dir)"
    write_url "$p"
    return 0
  fi
  [ -f "$data_dir/PG_VERSION" ] || init_cluster
  if [ "$base" != "$cluster_dir/postgres" ]; then echo "$base" > "$location_file"; fi
  write_settings
  touch "$server_log"
  if $as_root; then chown postgres:postgres "$server_log"; fi
  if [ "$server_log" != "$log_link" ]; then ln -sfn "$server_log" "$log_link"; fi
  if ! (close_inherited_fds; as_server_user "$pg_bin/pg_ctl" start -D "$data_dir" -l "$server_log" -w -t "$start_timeout" > /dev/null 2>&1); then
    log_tail
    die "PostgreSQL failed to start on port $port (data $data_dir)"
  fi
  wait_ready "$port"
  ensure_role_and_database "$port"
  echo "PostgreSQL started on $host:$port (data $data_dir, log $log_link)"
  write_url "$port"
}

stop() {
  if ! is_running; then
    echo "PostgreSQL not running (data $data_dir)"
    return 0
  fi
  as_server_user "$pg_bin/pg_ctl" stop -D "$data_dir" -m fast -w -t 60 > /dev/null \
    || { log_tail; die "pg_ctl stop failed for $data_dir"; }
  echo "PostgreSQL stopped (data $data_dir)"
}

status() {
  if is_running; then
    echo "PostgreSQL running on $host:$(running_port) (data $data_dir)"
  else
    echo "PostgreSQL not running (data $data_dir)"
    exit 3
  fi
}

url() {
  if is_running; then
    url_for "$(running_port)"
  elif [ -f "$url_file" ]; then
    cat "$url_file"
  else
    url_for "$port"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) url ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
