#!/usr/bin/env bash
# qemu_count.sh CORTEX_M4_BUILD_DIR — guest instructions on the Cortex-M4 (QEMU mps2-an386) for
# SHA-256 per byte and one Ed25519 verification, from three firmware builds that differ only in
# the amount of work (counted by a TCG plugin, exact and repeatable).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1
plugin=$build/libqemu_insn_count.so
cc -shared -fPIC -O2 -o "$plugin" "$here/qemu_insn_count.c"

count() {
  timeout 120 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial stdio \
    -semihosting-config enable=on,target=native -plugin "$plugin" \
    -kernel "$build/bench/crypto/device/crypto_bench_fw_$1.elf" 2>&1 |
    awk '/guest instructions:/ { print $3 }'
}

base=$(count base)
sha=$(count sha)
ed=$(count ed25519)
printf '| %-34s | %12s |\n' "Cortex-M4 guest instructions (-Os)" "tc_crypto"
printf '|%s|%s|\n' "------------------------------------" "--------------"
awk -v b="$base" -v s="$sha" -v e="$ed" 'BEGIN {
  printf "| %-34s | %12.1f |\n", "sha256 per byte (1 KiB updates)", (s - b) / (64 * 1024)
  printf "| %-34s | %12d |\n", "Ed25519 verify (1-byte message)", (e - b) / 10
}'
