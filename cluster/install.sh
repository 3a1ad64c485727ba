#!/usr/bin/env bash
# Puts sluice, jobmanager, taskmanager and devbroker on PATH: symbolic links in $PREFIX/bin
# (default /usr/local/bin) to the binaries in $SLUICE_BIN_DIR, so the README's commands work as
# typed and follow every rebuild. Idempotent; says what to do when $PREFIX/bin is not writable.
set -euo pipefail
bin_dir="${SLUICE_BIN_DIR:?set SLUICE_BIN_DIR to the folder holding the built binaries}"
target="${PREFIX:-/usr/local}/bin"
if ! mkdir -p "$target" 2>/dev/null || [ ! -w "$target" ]; then
  echo "cannot write $target: run 'sudo make install', or 'make install PREFIX=\$HOME/.local' and add \$HOME/.local/bin to PATH" >&2
  exit 1
fi
for exe in sluice jobmanager taskmanager devbroker; do
  [ -x "$bin_dir/$exe" ] || { echo "missing $bin_dir/$exe: build first (make build)" >&2; exit 1; }
  ln -sfn "$bin_dir/$exe" "$target/$exe"
done
echo "sluice, jobmanager, taskmanager and devbroker are in $target (links to $bin_dir)"
case ":$PATH:" in
  *":$target:"*) ;;
  *) echo "note: $target is not on your PATH; add it: export PATH=\"$target:\$PATH\"" ;;
esac
