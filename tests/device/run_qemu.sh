#!/usr/bin/env bash
# run_qemu.sh BOARD FIRMWARE.elf EXPECTED_TEXT [TIMEOUT_SECONDS]
# Runs firmware on a QEMU board; passes only if it exits 0 and printed EXPECTED_TEXT.
set -u
board=$1 firmware=$2 expected=$3 seconds=${4:-30}
output=$(timeout "$seconds" qemu-system-arm -M "$board" -nographic -monitor none -serial stdio \
  -semihosting-config enable=on,target=native -kernel "$firmware" 2>&1)
status=$?
printf '%s\n' "$output"
if [ "$status" -eq 124 ]; then echo "run_qemu: timed out after ${seconds}s on $board"; exit 1; fi
if [ "$status" -ne 0 ]; then echo "run_qemu: firmware exited with status $status on $board"; exit 1; fi
grep -qF -- "$expected" <<<"$output" || { echo "run_qemu: output lacks '$expected'"; exit 1; }
