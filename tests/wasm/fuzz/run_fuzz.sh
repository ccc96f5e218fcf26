#!/usr/bin/env bash
# Builds the libFuzzer target with clang-14 (ASan + UBSan) and runs it for SECONDS, seeded with
# the spec-suite modules in SEED_DIR when present. Crashes are kept in WORKDIR/crashes.
# usage: run_fuzz.sh SOURCE_ROOT WORKDIR SECONDS [SEED_DIR]
set -euo pipefail
root=$1 work=$2 seconds=$3 seeds=${4:-}
if ! command -v clang++-14 >/dev/null || [[ ! -e /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a && -z $(ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null) ]]; then
  echo "SKIP: clang++-14 with libFuzzer (libfuzzer-14-dev) not installed"
  exit 0
fi
mkdir -p "$work/corpus" "$work/crashes"
clang++-14 -std=c++20 -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -I"$root/src/base/include" -I"$root/src/runtime/include" -I"$root/src/runtimes/wasm/include" \
  "$root/tests/wasm/fuzz/wasm_fuzz.cc" "$root"/src/runtimes/wasm/src/*.cc \
  "$root"/src/base/src/*.cc "$root"/src/runtime/src/*.cc -o "$work/wasm_fuzz"
corpus=("$work/corpus")
if [[ -n "$seeds" && -d "$seeds" ]]; then
  mkdir -p "$work/seeds"
  { find "$seeds" -name '*.wasm' -size -16k || true; } | awk 'NR <= 400' | xargs -r cp -t "$work/seeds"
  corpus+=("$work/seeds")
fi
"$work/wasm_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
  -artifact_prefix="$work/crashes/" -print_final_stats=1 "${corpus[@]}" 2>&1 | tail -15
