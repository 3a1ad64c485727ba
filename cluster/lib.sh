# Shared helpers of the cluster scripts (sourced, not run).

# Closes every descriptor above stdio in the calling (sub)shell. Used right before starting a
# long-lived server, so the server does not keep descriptors this script inherited; a parent
# may watch one of those to learn that this script exited (Foundation.Process does).
close_inherited_fds() {
  local fd
  for fd in /proc/self/fd/*; do
    fd="${fd##*/}"
    if [ "$fd" -gt 2 ]; then eval "exec ${fd}>&-" 2> /dev/null || true; fi
  done
}

# Whether process $1 exists and is not a zombie (an exited child nobody has reaped yet).
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != "Z" ]
}

# Stops process $2 (named $1 in messages): SIGTERM, then SIGKILL after 10 s; fails only if it
# survives SIGKILL for another 10 s.
stop_pid() {
  local name="$1" pid="$2" deadline
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  alive "$pid" || return 0
  echo "$name (pid $pid) ignored SIGTERM for 10s; sending SIGKILL" >&2
  kill -KILL "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 10))
  while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  ! alive "$pid"
}

# Starts a long-lived server (the remaining arguments) in the background, in a new session so a
# Ctrl-C in the starting terminal does not reach it, appending its output to $2. The inner shell
# writes its own pid to $1 (setsid may fork) and then becomes the server, so the file names the
# server itself.
start_detached() {
  local pid_file="$1" log_file="$2"
  shift 2
  (
    close_inherited_fds
    exec setsid nohup bash -c 'echo $$ > "$0"; exec "$@"' "$pid_file" "$@" >> "$log_file" 2>&1 < /dev/null
  ) &
}

# Waits until READY (the remaining arguments, a command) holds for the server started by
# `start_detached` with pid file $1, for at most $2 seconds. Returns 0 once ready, 1 as soon as
# the server has exited, 2 at the deadline.
wait_until_started() {
  local pid_file="$1" deadline=$((SECONDS + $2)) pid
  shift 2
  until "$@"; do
    # (Checked by pid only: for an instant the recorded process is still the shell.)
    pid="$(cat "$pid_file" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && ! alive "$pid"; then return 1; fi
    [ "$SECONDS" -lt "$deadline" ] || return 2
    sleep 0.1
  done
}
