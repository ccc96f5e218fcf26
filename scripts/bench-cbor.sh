#!/usr/bin/env bash
# CBOR / metadata instruction counts (callgrind, x86-64, host-release build): each operation runs
# 10 and 1010 times; the difference / 1000 is the cost of one operation without process start-up.
set -euo pipefail
bench=${1:-build/host-release/bench/cbor_bench}

source "$(dirname "$0")/lib/callgrind.sh"
count() { callgrind_total "$bench" "$1" "$2"; }  # OPERATION ITERATIONS

printf '| operation | input bytes | instructions per operation | per byte |\n|---|---|---|---|\n'
for op in decode-metadata encode-metadata skip-document; do
  bytes=$("$bench" "$op" 1 | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')
  small=$(count "$op" 10)
  large=$(count "$op" 1010)
  per_op=$(( (large - small) / 1000 ))
  printf '| %s | %d | %d | %d.%d |\n' "$op" "$bytes" "$per_op" $((per_op / bytes)) \
    $(( (per_op * 10 / bytes) % 10 ))
done
