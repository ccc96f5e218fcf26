#!/usr/bin/env bash
# WebAssembly runtime benchmarks (PRODUCT §6), instruction counts with callgrind:
#  - interpreter speed: each workload compiled with clang-14 -O2 to wasm32 and natively; work =
#    instructions(large n) - instructions(small n); ratio = tc_wasm work / native work
#  - host-call, wasm-call and empty-loop cost per iteration
#  - load (decode + validate + compile) instructions per module byte
# usage: bench/wasm/run_bench.sh [BUILD_DIR]   (default build/host-release)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/host-release}
bench=$build/bench/wasm_bench
work=$build/bench-wasm
src=$root/bench/wasm/workloads
mkdir -p "$work"

ir() {  # total instructions executed by a command
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/Collected/ {print $4}'
}

wasm_flags=(--target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,-z,stack-size=8192)
workloads=("fib 20 25" "sieve 1 4" "crc32 10 60" "dense 5 40" "coremark_mix 20 200")

echo "| workload | native work (instr) | tc_wasm work (instr) | ratio |"
echo "|---|---:|---:|---:|"
log_sum=0
for entry in "${workloads[@]}"; do
  read -r name small large <<<"$entry"
  clang-14 "${wasm_flags[@]}" -o "$work/$name.wasm" "$src/$name.c"
  clang-14 -O2 -o "$work/$name.native" "$src/$name.c" "$src/native_main.c"
  want=$("$work/$name.native" "$large")
  got=$("$bench" run "$work/$name.wasm" run "$large")
  [[ "$want" == "$got" ]] || { echo "result mismatch for $name: native $want, wasm $got" >&2; exit 1; }
  native=$(( $(ir "$work/$name.native" "$large") - $(ir "$work/$name.native" "$small") ))
  wasm=$(( $(ir "$bench" run "$work/$name.wasm" run "$large") - $(ir "$bench" run "$work/$name.wasm" run "$small") ))
  ratio=$(awk -v a="$wasm" -v b="$native" 'BEGIN {printf "%.1f", a / b}')
  log_sum=$(awk -v s="$log_sum" -v a="$wasm" -v b="$native" 'BEGIN {print s + log(a / b)}')
  echo "| $name | $native | $wasm | ${ratio}x |"
done
geomean=$(awk -v s="$log_sum" -v n="${#workloads[@]}" 'BEGIN {printf "%.1f", exp(s / n)}')
echo "| **geometric mean** | | | **${geomean}x** |"
echo

clang-14 --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--allow-undefined -o "$work/calls.wasm" "$src/calls.c"
echo "| probe | instructions per iteration |"
echo "|---|---:|"
for probe in host_calls wasm_calls empty_loop; do
  a=$(ir "$bench" run "$work/calls.wasm" "$probe" 1000)
  b=$(ir "$bench" run "$work/calls.wasm" "$probe" 101000)
  echo "| $probe | $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.1f", (b - a) / 100000}') |"
done
echo

echo "| module | bytes | load+validate+compile instructions per byte |"
echo "|---|---:|---:|"
/usr/bin/python3 -c "import random,sys; r=random.Random(7); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(40000)))" > "$work/random.bin"
wasm-opt -ttf "$work/random.bin" --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-bulk-memory -o "$work/random.wasm" 2>/dev/null
for module in coremark_mix.wasm random.wasm; do
  bytes=$(stat -c %s "$work/$module")
  a=$(ir "$bench" load "$work/$module" 5)
  b=$(ir "$bench" load "$work/$module" 25)
  echo "| $module | $bytes | $(awk -v a="$a" -v b="$b" -v n="$bytes" 'BEGIN {printf "%.0f", (b - a) / 20 / n}') |"
done
