#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the demo need. Idempotent: only what is
# missing is installed, always with --no-install-recommends (qemu with recommends is ~3 GB).
set -euo pipefail

PACKAGES=(
  # host toolchain and test frameworks
  build-essential cmake ninja-build pkg-config git clang-format-14
  clang-14 lld-14 llvm-14 libclang-rt-14-dev libfuzzer-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev valgrind
  # host-tool libraries
  libcli11-dev nlohmann-json3-dev libfmt-dev libsodium-dev
  # Cortex-M cross build and emulation
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib qemu-system-arm
  # guest toolchains and independent reference implementations for differential tests
  wabt binaryen wasi-libc libclang-rt-14-dev-wasm32 nodejs
  python3 python3-cbor2 python3-cryptography
  libcoap3-bin
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
