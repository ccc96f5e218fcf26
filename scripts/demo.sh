#!/usr/bin/env bash
# The demo. Until the native device (tinycontainerd, issue #7) lands, it shows the most complete
# thing that exists: the tools, both runtimes, signed images, and device-side code (the engine
# scheduling containers included) running on an emulated Cortex-M4.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "TinyContainer demo (pre-device stage: the live native-device demo arrives with issue #7)"

say "1. The operator's tool: build/bin/tinyctl --help"
build/bin/tinyctl --help

say "2. Device-side base library running on a Cortex-M4 (QEMU mps2-an386)"
tests/device/run_qemu.sh mps2-an386 build/cortex-m4/tests/device/base_selftest.elf "ALL PASSED"

say "3. A WebAssembly module under the real runtime: tinyctl run (fib.c compiled by clang-14)"
mkdir -p build/demo
clang-14 --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export=run -o build/demo/fib.wasm \
  bench/wasm/workloads/fib.c
build/bin/tinyctl run build/demo/fib.wasm --invoke run 24 --stats
echo "-- the same with a 100000-instruction fuel budget (the runtime stops it cleanly):"
build/bin/tinyctl run build/demo/fib.wasm --invoke run 24 --fuel 100000 ||
  echo "(stopped by the fuel budget, as it must be)"

echo "-- an ordinary clang-14 wasm32-wasi printf program (examples/hello_wasi), _start with WASI:"
build/bin/tinyctl run build/host-release/tests/wasi/hello_wasi.wasm || echo "(exit status $? from proc_exit)"

say "4. An eBPF program under the verifier + interpreter: tc-bpf-plugin (reads its input memory)"
echo "ldxw r0, [r1]; exit  with memory 04030201 ->"
echo 6110000000000000 9500000000000000 | build/bin/tc-bpf-plugin 04030201

say "5. The engine on a Cortex-M4 (QEMU mps2-an386): scheduling, gate, lifecycle self-test"
tests/device/run_qemu.sh mps2-an386 build/cortex-m4/tests/device/engine_selftest.elf "ALL PASSED"

say "6. A signed container image: keys generated into build/demo-keys, build, verify, tamper"
keys=build/demo-keys
rm -rf "$keys" && mkdir -p "$keys/trust"
build/bin/tinyctl keygen operator --role operator --dir "$keys"
cp "$keys/operator.pub" "$keys/trust/"
printf "demo code bytes %.0s" $(seq 64) >"$keys/code.wasm"
build/bin/tinyctl build examples/manifests/sampler.json --code "$keys/code.wasm" \
  --key "$keys/operator.key" -o "$keys/sampler.tc"
build/bin/tinyctl verify "$keys/sampler.tc" --trust "$keys/trust" --now 1767225600
build/bin/tinyctl inspect "$keys/sampler.tc"
cp "$keys/sampler.tc" "$keys/tampered.tc"
printf '\x00' | dd of="$keys/tampered.tc" bs=1 seek=400 conv=notrunc status=none
build/bin/tinyctl verify "$keys/tampered.tc" --trust "$keys/trust" --now 1767225600 ||
  echo "(the changed byte was refused, as it must be)"
tests/device/run_qemu.sh mps2-an386 build/cortex-m4/tests/device/image_verify_fw.elf "ALL PASSED"

say "7. Code size of the device-side libraries (cortex-m4, -Os)"
cmake --build --preset cortex-m4 --target size-report | grep -v '^\['

say "Demo finished: tools in build/bin; runtimes, image verification and engine shown on host and emulated Cortex-M4."
