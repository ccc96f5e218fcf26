#!/usr/bin/env bash
# Instructions per engine operation under callgrind: each scenario runs with two loop lengths and
# the difference is divided by the extra iterations; then the same operations on the Cortex-M4
# under QEMU -icount. Usage: bench/engine/run.sh [host-build-dir] [cortex-m4-build-dir]
set -euo pipefail
build="${1:-build/host-release}"
bin="$build/bench/engine_bench"
[[ -x "$bin" ]] || { echo "missing $bin (cmake --build --preset host-release)" >&2; exit 1; }
small=1000
large=11000
source "$(dirname "$0")/../../scripts/lib/callgrind.sh"
instructions() { callgrind_marked "$bin" "$1" "$2"; }  # SCENARIO ITERATIONS
echo "| engine operation (x86-64, host-release) | instructions |"
echo "|---|---|"
for scenario in permitted checked denied switch; do
  a=$(instructions "$scenario" "$small")
  b=$(instructions "$scenario" "$large")
  per=$(( (b - a) / (large - small) ))
  case "$scenario" in
    permitted) label="permitted host call through the gate (trivial service)";;
    checked) label="permitted host call with one buffer bounds-checked";;
    denied) label="denied host call (count + audit + trace)";;
    switch) label="container switch (one scheduler step, 8 slots)";;
  esac
  echo "| $label | $per |"
done

echo
firmware=${2:-build/cortex-m4}/bench/engine/device/engine_m4_bench.elf
if [ -f "$firmware" ]; then
  timeout 120 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial stdio \
    -semihosting-config enable=on,target=native -icount shift=0 -kernel "$firmware" | grep -v '^DONE'
else
  echo "bench/engine: $firmware not built (cortex-m4 preset) - Cortex-M4 table skipped"
fi
