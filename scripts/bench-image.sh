#!/usr/bin/env bash
# Image verification instruction counts (callgrind, x86-64, host-release build): each operation
# runs 2 and 12 times; the difference / 10 is the cost of verifying one image without start-up.
set -euo pipefail
bench=${1:-build/host-release/bench/image_bench}

source "$(dirname "$0")/lib/callgrind.sh"
count() { callgrind_total "$bench" "$1" "$2"; }  # OPERATION ITERATIONS

printf '| operation | image bytes | instructions per image | per byte |\n|---|---|---|---|\n'
for op in verify-sign1 verify-mac0; do
  bytes=$("$bench" "$op" 1 | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
  small=$(count "$op" 2)
  large=$(count "$op" 12)
  per_op=$(( (large - small) / 10 ))
  printf '| %s | %d | %d | %d.%d |\n' "$op" "$bytes" "$per_op" $((per_op / bytes)) \
    $(( (per_op * 10 / bytes) % 10 ))
done
