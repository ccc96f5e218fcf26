#!/usr/bin/env bash
# crypto-differential.sh [CASES] — the libsodium differential tests with many more random cases than
# CI runs (default 100000 per test; roughly 40 s per 10000 in the release build).
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-100000}
cmake --preset host-release >/dev/null
cmake --build --preset host-release --target crypto_libsodium_test
TC_CRYPTO_DIFF_CASES=$cases build/host-release/tests/crypto_libsodium_test
