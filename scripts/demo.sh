#!/usr/bin/env bash
# The demo. Until the native device (tinycontainerd, issue #7) lands, it shows the most complete
# thing that exists: the tools, and device-side code running on an emulated Cortex-M4.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "TinyContainer demo (foundation stage: the native-device demo arrives with issue #7)"

say "1. The operator's tool: build/bin/tinyctl --help"
build/bin/tinyctl --help

say "2. Device-side base library running on a Cortex-M4 (QEMU mps2-an386)"
tests/device/run_qemu.sh mps2-an386 build/cortex-m4/tests/device/base_selftest.elf "ALL PASSED"

say "3. A signed container image: keys generated into build/demo-keys, build, verify, tamper"
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

say "4. Code size of the device-side libraries (cortex-m4, -Os)"
cmake --build --preset cortex-m4 --target size-report | grep -v '^\['

say "Demo finished: tools built in build/bin, device code verified on an emulated Cortex-M4."
