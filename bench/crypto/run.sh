#!/usr/bin/env bash
# run.sh BENCH_BINARY — instructions (valgrind callgrind) of tc_crypto and libsodium side by side.
# Each figure is (large run - small run) / (difference in work), so start-up costs cancel out.
set -euo pipefail
bench=$1

instructions() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" "$1" "$2" 2>&1 |
    awk '/Collected :/ { print $NF }'
}

per_unit() {  # WORKLOAD SMALL LARGE
  local small large
  small=$(instructions "$1" "$2")
  large=$(instructions "$1" "$3")
  awk -v s="$small" -v l="$large" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", (l - s) / (b - a) }'
}

printf '| %-34s | %12s | %12s |\n' "x86-64 instructions (callgrind)" "tc_crypto" "libsodium"
printf '|%s|%s|%s|\n' "------------------------------------" "--------------" "--------------"
for hash in sha256 sha512; do
  printf '| %-34s | %12s | %12s |\n' "$hash per byte (4 KiB updates)" \
    "$(per_unit $hash-tc 65536 1048576)" "$(per_unit $hash-sodium 65536 1048576)"
done
printf '| %-34s | %12s | %12s |\n' "Ed25519 verify (64-byte message)" \
  "$(printf '%.0f' "$(per_unit ed25519-tc 1 11)")" \
  "$(printf '%.0f' "$(per_unit ed25519-sodium 1 11)")"
