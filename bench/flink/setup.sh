#!/usr/bin/env bash
# Installs what `make bench-flink` needs, idempotently (quiet and quick when all is there):
#   - Java 17 (Debian's openjdk-17-jre-headless) and python3-venv, if missing;
#   - Apache Flink's Python distribution (PyPI `apache-flink`, FLINK_VERSION, default 2.3.0, the
#     newest on PyPI that installs on Debian 12's Python 3.11) into a venv, FLINK_BENCH_DIR/venv
#     (default .build-flink/venv, ignored by git).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# shellcheck source=bench/flink/common.sh
source bench/flink/common.sh

bash cluster/install-packages.sh openjdk-17-jre-headless python3-venv

java17="$(find_java17)" || {
  echo "bench-flink: Java 17 missing: run 'sudo apt-get update && sudo apt-get install -y openjdk-17-jre-headless'" >&2
  exit 1
}

installed() { "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-flink"))' 2>/dev/null || true; }
if [ "$(installed)" != "$flink_version" ]; then
  echo "== Installing apache-flink $flink_version from PyPI into $venv (once; ~850 MB)"
  mkdir -p "$work"
  # Debian's Python 3.11, not whichever python3 comes first on PATH (a pyenv one, say).
  [ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true  # Debian's pip 23 works too
  if ! "$venv/bin/python" -m pip install --quiet "apache-flink==$flink_version" > "$work/pip.log" 2>&1; then
    echo "bench-flink: pip install apache-flink==$flink_version failed; the end of $work/pip.log:" >&2
    tail -n 20 "$work/pip.log" >&2
    exit 1
  fi
  [ "$(installed)" = "$flink_version" ] || { echo "bench-flink: apache-flink $flink_version is not importable from $venv" >&2; exit 1; }
fi
echo "bench-flink: apache-flink $flink_version in $venv, $("$venv/bin/python" --version), $("$java17" -version 2>&1 | head -n 1)"
