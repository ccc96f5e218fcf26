#!/usr/bin/env bash
# Runs every benchmark and prints its table (the latest copy lives in docs/PERFORMANCE.md).
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n## %s\n' "$*"; }

section "Code size, cortex-m4 -Os (make size)"
cmake --build --preset cortex-m4 --target size-report | grep -v '^\['
section "Device-side verify path, cortex-m4 -Os (tests/device/image_verify_fw map file)"
cmake --build --preset cortex-m4 --target verify-path-size | grep -v '^\['

section "Crypto (bench/crypto/run.sh, callgrind; bench/crypto/qemu_count.sh, QEMU plugin)"
bench/crypto/run.sh build/host-release/bench/crypto/crypto_bench
bench/crypto/qemu_count.sh build/cortex-m4
section "CBOR and metadata, x86-64 instructions (callgrind, host-release)"
scripts/bench-cbor.sh build/host-release/bench/cbor_bench
section "Image verification, x86-64 instructions (callgrind, host-release)"
scripts/bench-image.sh build/host-release/bench/image_bench
section "WebAssembly runtime (bench/wasm/run_bench.sh, callgrind)"
bench/wasm/run_bench.sh build/host-release
section "eBPF interpreter (bench/ebpf/run.sh, callgrind, large run minus small run)"
bench/ebpf/run.sh build/host-release
section "Engine: host call through the gate, denial, container switch (bench/engine/run.sh)"
bench/engine/run.sh build/host-release
section "Host services through the gate: log, kv, random (bench/services/run.sh, callgrind)"
bench/services/run.sh build/host-release
section "CoAP server, x86-64 instructions (callgrind, host-release)"
scripts/bench-coap.sh build/host-release/bench/coap_bench
