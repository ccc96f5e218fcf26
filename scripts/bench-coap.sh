#!/usr/bin/env bash
# CoAP instruction counts (callgrind, x86-64, host-release build): each operation runs 10 and 1010
# times; the difference / 1000 is the cost of one operation without process start-up.
set -euo pipefail
bench=${1:-build/host-release/bench/coap_bench}

source "$(dirname "$0")/lib/callgrind.sh"
count() { callgrind_total "$bench" "$1" "$2"; }  # OPERATION ITERATIONS

printf '| operation | request bytes | instructions per operation |\n|---|---|---|\n'
for op in parse-request handle-get handle-block2; do
  bytes=$("$bench" "$op" 1 | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
  small=$(count "$op" 10)
  large=$(count "$op" 1010)
  printf '| %s | %d | %d |\n' "$op" "$bytes" $(( (large - small) / 1000 ))
done
