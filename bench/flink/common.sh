# Shared settings of bench/flink/setup.sh and bench/flink/run.sh (sourced, not run).
# The caller sets `root` (the repository).
flink_version="${FLINK_VERSION:-2.3.0}"
work="${FLINK_BENCH_DIR:-$root/.build-flink}"   # ignored by git (.build-*)
venv="$work/venv"

# Prints the path of a Java 17 `java` (Debian's openjdk-17-jre-headless), or fails.
find_java17() {
  local candidate
  for candidate in "${FLINK_BENCH_JAVA:-}" /usr/lib/jvm/java-17-openjdk-*/bin/java; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -version 2>&1 | grep -q 'version "17\.'; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
