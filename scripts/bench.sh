#!/usr/bin/env bash
# Runs the benchmarks that exist and prints their tables (copied into docs/PERFORMANCE.md).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "## Code size, cortex-m4 -Os (make size)"
cmake --build --preset cortex-m4 --target size-report | grep -v '^\['

echo
echo "## Crypto (bench/crypto/run.sh)"
bench/crypto/run.sh build/host-release/bench/crypto/crypto_bench
echo
bench/crypto/qemu_count.sh build/cortex-m4
echo "## CBOR and metadata, x86-64 instructions (callgrind, host-release)"
scripts/bench-cbor.sh build/host-release/bench/cbor_bench
echo "## eBPF interpreter (bench/ebpf/run.sh, callgrind, large run minus small run)"
bench/ebpf/run.sh build/host-release
echo "## CoAP server, x86-64 instructions (callgrind, host-release)"
scripts/bench-coap.sh build/host-release/bench/coap_bench
