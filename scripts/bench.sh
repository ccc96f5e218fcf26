#!/usr/bin/env bash
# Runs the benchmarks that exist and prints their tables (copied into docs/PERFORMANCE.md).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "## Code size, cortex-m4 -Os (make size)"
cmake --build --preset cortex-m4 --target size-report | grep -v '^\['

echo
echo "## CBOR and metadata, x86-64 instructions (callgrind, host-release)"
scripts/bench-cbor.sh build/host-release/bench/cbor_bench

echo
echo "## WebAssembly runtime (bench/wasm/run_bench.sh, callgrind instruction counts)"
bench/wasm/run_bench.sh build/host-release

echo
echo "## eBPF interpreter (bench/ebpf/run.sh, callgrind, large run minus small run)"
bench/ebpf/run.sh build/host-release

echo
echo "## Engine: host call through the gate, denial, container switch (bench/engine/run.sh)"
bench/engine/run.sh build/host-release
