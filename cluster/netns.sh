#!/usr/bin/env bash
# A cluster of "hosts" on one machine: one Linux network namespace per host, joined by a bridge
# that lives in a namespace of its own, on a private subnet (10.77.0.0/24) that exists only
# inside those namespaces. Tests run each process in its host's namespace and cut, restore or
# degrade the links between hosts; nothing touches the machine's own network.
#
# Usage: cluster/netns.sh COMMAND NAME [ARGS]
#   up NAME HOST...           create the hosts (e.g. jm tm1 tm2 tm3 pg); host i gets 10.77.0.(10+i)
#   addr NAME HOST            print the host's address
#   exec NAME HOST CMD...     run CMD in the host's namespace (replaces this shell)
#   cut NAME HOST             the host's link goes down at the bridge: its packets vanish silently,
#                             as in a network partition (its own interface stays up)
#   heal NAME HOST            bring the host's link back
#   block NAME HOST PEER      drop what HOST sends to PEER only (a route to nowhere in HOST)
#   unblock NAME HOST PEER    undo `block`
#   netem NAME HOST MEAN_MS JITTER_MS LOSS_PERCENT PEER...
#                             degrade what HOST receives from each PEER: drop LOSS_PERCENT of the
#                             packets (the kernel's statistic match) and hold the rest MEAN ± JITTER
#                             ms (uniform; netfilter queue + nfq-delay, built by make test). This is
#                             `tc netem delay MEAN JITTER loss LOSS%` for kernels without sch_netem.
#                             On the receiving side because a packet held on the sender's side
#                             still counts against its socket (TCP small queues) and throttles it
#                             to a few packets per round trip; netem orphans its packets for that
#   unnetem NAME HOST         undo `netem` (the rules go, nfq-delay releases what it holds and exits)
#   relay NAME HOST PORT      make a server that listens on HOST's 127.0.0.1:PORT only reachable
#                             from every host as 127.0.0.1:PORT, over the bridge (socat relays in
#                             HOST and in each other host); for librdkafka's mock cluster (the dev
#                             broker), which binds and advertises loopback addresses only
#   pids NAME                 print the pids of every process in the cluster's namespaces
#   down NAME                 SIGKILL those processes, delete the namespaces and links
#   sweep                     `down` every cluster whose owner process is gone (a crashed run),
#                             by the namespaces named sl-*; prints what it removed
#   list                      print the namespaces of all clusters
#
# Environment: SLUICE_NETNS_OWNER, the pid that owns a cluster made by `up` (default: the
# caller's); `sweep` leaves clusters of a living owner alone, so tests can run side by side.
#
# Names: NAME and HOST are short lowercase words (namespace sl-NAME-HOST must fit 32 bytes,
# the bridge port p-HOST 15). Needs root and iproute2; netem also iptables (nf_tables) and
# .build-netem/nfq-delay (make test builds it from cluster/netem/nfq_delay.c).
set -euo pipefail

# shellcheck source=cluster/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

die() { echo "netns.sh: $*" >&2; exit 1; }
subnet="10.77.0"

[ "$(id -u)" = 0 ] || die "needs root (network namespaces); run as root or in CI"
command -v ip > /dev/null || die "needs iproute2 ('ip'); install it with apt-get install iproute2"

check_word() {
  [[ "$1" =~ ^[a-z][a-z0-9]{0,11}$ ]] || die "$2 must be a short lowercase word (a-z, 0-9, at most 12), got '$1'"
}

ns() { echo "sl-$1-$2"; }
bridge_ns() { echo "sl-$1-br"; }

# The hosts of cluster $1, in creation order (recorded in the bridge namespace's own file).
hosts_file() { echo "/run/sluice-netns/$1.hosts"; }
hosts_of() {
  local file
  file="$(hosts_file "$1")"
  [ -f "$file" ] || die "no cluster '$1' (did 'up' run?)"
  cat "$file"
}

address_of() {
  local name="$1" host="$2" index=0 candidate
  for candidate in $(hosts_of "$name"); do
    index=$((index + 1))
    if [ "$candidate" = "$host" ]; then echo "$subnet.$((9 + index))"; return; fi
  done
  die "cluster '$name' has no host '$host' (it has: $(hosts_of "$name" | tr '\n' ' '))"
}

namespace_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

cmd_up() {
  local name="$1"
  shift
  check_word "$name" "NAME"
  [ $# -ge 1 ] || die "up: name at least one host"
  [ $# -le 200 ] || die "up: at most 200 hosts"
  local host
  for host in "$@"; do check_word "$host" "HOST"; [ "$host" != br ] || die "'br' is the bridge's own name"; done
  namespace_exists "$(bridge_ns "$name")" && die "cluster '$name' exists; run 'down $name' (or 'sweep') first"
  mkdir -p /run/sluice-netns
  printf '%s\n' "$@" > "$(hosts_file "$name")"
  echo "${SLUICE_NETNS_OWNER:-$PPID}" > "/run/sluice-netns/$name.owner"
  # From here on, a failure leaves nothing half-built behind.
  trap 'cmd_down "$name" > /dev/null 2>&1 || true' ERR
  local bridge index=0
  bridge="$(bridge_ns "$name")"
  ip netns add "$bridge"
  ip -n "$bridge" link set lo up
  ip -n "$bridge" link add br0 type bridge
  ip -n "$bridge" link set br0 up
  for host in "$@"; do
    index=$((index + 1))
    ip netns add "$(ns "$name" "$host")"
    ip -n "$(ns "$name" "$host")" link set lo up
    ip link add eth0 netns "$(ns "$name" "$host")" type veth peer name "p-$host" netns "$bridge"
    ip -n "$bridge" link set "p-$host" master br0
    ip -n "$bridge" link set "p-$host" up
    ip -n "$(ns "$name" "$host")" addr add "$subnet.$((9 + index))/24" dev eth0
    ip -n "$(ns "$name" "$host")" link set eth0 up
  done
  trap - ERR
  for host in "$@"; do echo "$host $(address_of "$name" "$host") $(ns "$name" "$host")"; done
}

cmd_down() {
  local name="$1" namespace pids
  check_word "$name" "NAME"
  # Every namespace of the cluster, also ones a crashed 'up' left without a hosts file.
  for namespace in $(ip netns list | awk '{print $1}' | grep -E "^sl-$name-[a-z0-9]+$" || true); do
    pids="$(ip netns pids "$namespace" 2>/dev/null || true)"
    if [ -n "$pids" ]; then
      # shellcheck disable=SC2086
      kill -KILL $pids 2>/dev/null || true
    fi
  done
  for namespace in $(ip netns list | awk '{print $1}' | grep -E "^sl-$name-[a-z0-9]+$" || true); do
    local deadline=$((SECONDS + 10))
    while [ -n "$(ip netns pids "$namespace" 2>/dev/null || true)" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    ip netns del "$namespace" 2>/dev/null || true
    echo "removed $namespace"
  done
  rm -f "$(hosts_file "$name")" "/run/sluice-netns/$name.owner" /run/sluice-netns/"$name"-*.netem.*
}

cmd_sweep() {
  local name
  local owner
  for name in $(ip netns list | awk '{print $1}' | sed -nE 's/^sl-([a-z0-9]+)-[a-z0-9]+$/\1/p' | sort -u); do
    owner="$(cat "/run/sluice-netns/$name.owner" 2>/dev/null || true)"
    if [[ "$owner" =~ ^[0-9]+$ ]] && kill -0 "$owner" 2>/dev/null; then continue; fi
    cmd_down "$name"
  done
}

# Starts `socat` in host $2 of cluster $1 with the remaining arguments, detached (it dies with
# the namespace's processes at `down`), and waits until it listens on $3 (address:port).
start_relay() {
  local name="$1" host="$2" listen="$3" deadline
  shift 3
  # Without the descriptors this script inherited: a parent watching one of them to learn that
  # the script exited (Foundation.Process does) would otherwise wait for the relay too.
  (close_inherited_fds; exec ip netns exec "$(ns "$name" "$host")" setsid socat "$@" < /dev/null > /dev/null 2>&1) &
  deadline=$((SECONDS + 10))
  until ip netns exec "$(ns "$name" "$host")" bash -c "exec 3<>/dev/tcp/${listen%:*}/${listen##*:}" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || die "relay in $host did not listen on $listen within 10 s"
    sleep 0.1
  done
}

cmd_relay() {
  local name="$1" server="$2" port="$3" address other
  [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$port'"
  command -v socat > /dev/null || die "relay needs socat (apt-get install socat)"
  address="$(address_of "$name" "$server")"
  start_relay "$name" "$server" "$address:$port" "TCP-LISTEN:$port,bind=$address,reuseaddr,fork" "TCP:127.0.0.1:$port"
  for other in $(hosts_of "$name"); do
    [ "$other" != "$server" ] || continue
    start_relay "$name" "$other" "127.0.0.1:$port" "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "TCP:$address:$port"
  done
}

# Rules in their own chain, so unnetem removes exactly them.
cmd_netem() {
  local name="$1" host="$2" mean="$3" jitter="$4" loss="$5" namespace peer delay_tool probability
  shift 5
  namespace="$(ns "$name" "$host")"
  address_of "$name" "$host" > /dev/null
  [[ "$mean" =~ ^[0-9]+$ && "$jitter" =~ ^[0-9]+$ && "$jitter" -le "$mean" ]] \
    || die "netem: MEAN_MS and JITTER_MS are whole ms with JITTER_MS <= MEAN_MS, got '$mean' '$jitter'"
  [[ "$loss" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "netem: LOSS_PERCENT is a number like 1 or 0.5, got '$loss'"
  [ $# -ge 1 ] || die "netem: name at least one PEER"
  command -v iptables > /dev/null || die "netem needs iptables (apt-get install iptables)"
  delay_tool="$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")/.build-netem/nfq-delay"
  [ -x "$delay_tool" ] || die "netem needs $delay_tool: build it with 'make netem-tool' (make test does)"
  probability="$(awk -v p="$loss" 'BEGIN { printf "%.6f", p / 100 }')"
  ip netns exec "$namespace" iptables -w -N sluice-netem
  for peer in "$@"; do
    ip netns exec "$namespace" iptables -w -A sluice-netem -s "$(address_of "$name" "$peer")/32" \
      -m statistic --mode random --probability "$probability" -j DROP
    ip netns exec "$namespace" iptables -w -A sluice-netem -s "$(address_of "$name" "$peer")/32" -j NFQUEUE --queue-num 0
  done
  local log="/run/sluice-netns/$name-$host.netem.log"
  : > "$log"
  (close_inherited_fds; exec ip netns exec "$namespace" setsid "$delay_tool" 0 "$mean" "$jitter" < /dev/null >> "$log" 2>&1) &
  # Packets queue only once the delay tool has bound the queue (before that they would be dropped).
  local deadline=$((SECONDS + 10))
  until grep -q "nfq_delay: queue" "$log" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || die "nfq-delay in $host did not bind its queue within 10 s: $(cat "$log")"
    sleep 0.05
  done
  ip netns exec "$namespace" iptables -w -A INPUT -j sluice-netem
}

# The nfq-delay processes in namespace $1 (found by name: setsid may have forked).
delay_tool_pids() {
  local pid
  for pid in $(ip netns pids "$1" 2>/dev/null || true); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = nfq-delay ] && echo "$pid"
  done
  return 0
}

cmd_unnetem() {
  local name="$1" host="$2" namespace pids
  namespace="$(ns "$name" "$host")"
  ip netns exec "$namespace" iptables -w -D INPUT -j sluice-netem 2>/dev/null || true
  ip netns exec "$namespace" iptables -w -F sluice-netem 2>/dev/null || true
  ip netns exec "$namespace" iptables -w -X sluice-netem 2>/dev/null || true
  pids="$(delay_tool_pids "$namespace")"
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
  fi
}

cmd_pids() {
  local name="$1" host
  for host in $(hosts_of "$name") br; do ip netns pids "sl-$name-$host" 2>/dev/null || true; done
}

command="${1:-}"
case "$command" in
  up) [ $# -ge 3 ] || die "usage: up NAME HOST..."; shift; cmd_up "$@" ;;
  addr) [ $# -eq 3 ] || die "usage: addr NAME HOST"; address_of "$2" "$3" ;;
  exec)
    [ $# -ge 4 ] || die "usage: exec NAME HOST CMD..."
    name="$2" host="$3"
    shift 3
    namespace_exists "$(ns "$name" "$host")" || die "no host '$host' in cluster '$name'"
    exec ip netns exec "$(ns "$name" "$host")" "$@"
    ;;
  cut) [ $# -eq 3 ] || die "usage: cut NAME HOST"; address_of "$2" "$3" > /dev/null; ip -n "$(bridge_ns "$2")" link set "p-$3" down ;;
  heal) [ $# -eq 3 ] || die "usage: heal NAME HOST"; address_of "$2" "$3" > /dev/null; ip -n "$(bridge_ns "$2")" link set "p-$3" up ;;
  block) [ $# -eq 4 ] || die "usage: block NAME HOST PEER"; ip -n "$(ns "$2" "$3")" route add blackhole "$(address_of "$2" "$4")/32" ;;
  unblock) [ $# -eq 4 ] || die "usage: unblock NAME HOST PEER"; ip -n "$(ns "$2" "$3")" route del blackhole "$(address_of "$2" "$4")/32" ;;
  relay) [ $# -eq 4 ] || die "usage: relay NAME HOST PORT"; cmd_relay "$2" "$3" "$4" ;;
  netem) [ $# -ge 7 ] || die "usage: netem NAME HOST MEAN_MS JITTER_MS LOSS_PERCENT PEER..."; shift; cmd_netem "$@" ;;
  unnetem) [ $# -eq 3 ] || die "usage: unnetem NAME HOST"; cmd_unnetem "$2" "$3" ;;
  pids) [ $# -eq 2 ] || die "usage: pids NAME"; cmd_pids "$2" ;;
  down) [ $# -eq 2 ] || die "usage: down NAME"; cmd_down "$2" ;;
  sweep) cmd_sweep ;;
  list) ip netns list | awk '{print $1}' | grep -E '^sl-' || true ;;
  ""|-h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) die "unknown command '$command'; see --help" ;;
esac
