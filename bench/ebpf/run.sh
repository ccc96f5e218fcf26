#!/usr/bin/env bash
# bench/ebpf/run.sh [HOST_BUILD_DIR [CORTEX_M4_BUILD_DIR]] — eBPF interpreter vs native: on x86
# counted by callgrind, on the Cortex-M4 (QEMU mps2-an386, -icount shift=0) by SysTick.
# Work only: every figure is (large run - small run), so process start-up, loading and
# verification cancel out. Prints markdown tables for docs/PERFORMANCE.md.
set -euo pipefail
build=${1:-build/host-release}
bench=$build/bench/tc-ebpf-bench
[ -x "$bench" ] || { echo "bench/ebpf: $bench not built"; exit 1; }

source "$(dirname "$0")/../../scripts/lib/callgrind.sh"
instructions() { callgrind_total "$bench" "$@"; }  # ARGS... -> total Ir of one run
ebpf_count() { "$bench" "$@" | sed -n 's/.*ebpf_instructions=\([0-9]*\).*/\1/p'; }

declare -A small=([fib]=1000 [crc32]=2 [sieve]=1000)
declare -A large=([fib]=101000 [crc32]=42 [sieve]=8192)

echo "| workload (clang-14 -O2) | eBPF instr | host instr / eBPF instr | native instr | ratio to native |"
echo "|---|---|---|---|---|"
log_sum=0
for w in fib crc32 sieve; do
  e_small=$(instructions "$w" ebpf "${small[$w]}")
  e_large=$(instructions "$w" ebpf "${large[$w]}")
  n_small=$(instructions "$w" native "${small[$w]}")
  n_large=$(instructions "$w" native "${large[$w]}")
  b_small=$(ebpf_count "$w" ebpf "${small[$w]}")
  b_large=$(ebpf_count "$w" ebpf "${large[$w]}")
  de=$((e_large - e_small)) dn=$((n_large - n_small)) db=$((b_large - b_small))
  per=$(awk -v a="$de" -v b="$db" 'BEGIN { printf "%.1f", a / b }')
  ratio=$(awk -v a="$de" -v b="$dn" 'BEGIN { printf "%.1f", a / b }')
  log_sum=$(awk -v s="$log_sum" -v a="$de" -v b="$dn" 'BEGIN { printf "%.6f", s + log(a / b) }')
  echo "| $w (n ${small[$w]} -> ${large[$w]}) | $db | $per | $dn | ${ratio}x |"
done
echo "| **geometric mean** | | | | **$(awk -v s="$log_sum" 'BEGIN { printf "%.1f", exp(s / 3) }')x** |"
echo

echo "| load + verify (tc_ebpf_elf + verifier) | object bytes | host instr per object byte |"
echo "|---|---|---|"
for w in fib crc32 sieve; do
  l_small=$(instructions "$w" load 1)
  l_large=$(instructions "$w" load 101)
  bytes=$("$bench" "$w" load 1 | sed -n 's/object_bytes=\([0-9]*\).*/\1/p')
  echo "| $w.o | $bytes | $(awk -v a="$((l_large - l_small))" -v b="$bytes" 'BEGIN { printf "%.1f", a / (100 * b) }') |"
done

echo
firmware=${2:-build/cortex-m4}/bench/ebpf/device/ebpf_m4_bench.elf
if [ -f "$firmware" ]; then
  timeout 300 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial stdio \
    -semihosting-config enable=on,target=native -icount shift=0 -kernel "$firmware" | grep -v '^DONE'
else
  echo "bench/ebpf: $firmware not built (cortex-m4 preset) - Cortex-M4 table skipped"
fi
