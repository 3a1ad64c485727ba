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
