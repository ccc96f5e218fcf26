#!/usr/bin/env bash
# Instructions per host-service call through the gate under callgrind: each scenario runs with two
# loop lengths and the difference is divided by the extra iterations.
# Usage: bench/services/run.sh [host-build-dir]
set -euo pipefail
build="${1:-build/host-release}"
bin="$build/bench/services_bench"
[[ -x "$bin" ]] || { echo "missing $bin (cmake --build --preset host-release)" >&2; exit 1; }
small=1000
large=11000
source "$(dirname "$0")/../../scripts/lib/callgrind.sh"
instructions() { callgrind_marked "$bin" "$1" "$2"; }  # SCENARIO ITERATIONS
echo "| host service call, gate included (x86-64, host-release) | instructions |"
echo "|---|---|"
for scenario in log kv_get kv_set random; do
  a=$(instructions "$scenario" "$small")
  b=$(instructions "$scenario" "$large")
  per=$(( (b - a) / (large - small) ))
  case "$scenario" in
    log) label="log, 16-byte line (token bucket + sink)";;
    kv_get) label="kv_get hit, 8-byte key, 8 records (in-memory storage)";;
    kv_set) label="kv_set replace, same size (exact quota charge)";;
    random) label="random, 16 bytes (deterministic source)";;
  esac
  echo "| $label | $per |"
done
