#!/usr/bin/env bash
# Differential test: random valid modules from binaryen's `wasm-opt -ttf` run in tc_wasm and in
# Node's WebAssembly; results, traps and logged values must agree.
# usage: run_diff.sh DIFF_RUNNER WORKDIR FIRST_SEED COUNT
set -euo pipefail
runner=$1 work=$2 first=$3 count=$4
here=$(cd "$(dirname "$0")" && pwd)
for tool in wasm-opt node; do
  if ! command -v $tool >/dev/null; then echo "SKIP: $tool not installed"; exit 0; fi
done
rm -rf "$work" && mkdir -p "$work"
features=(--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int
          --enable-bulk-memory --enable-multivalue)
modules=()
for ((seed = first; seed < first + count; seed++)); do
  /usr/bin/python3 -c "import random,sys; r=random.Random($seed); sys.stdout.buffer.write(bytes(r.getrandbits(8) for _ in range(r.randint(100, 6000))))" > "$work/$seed.bin"
  wasm-opt -ttf "$work/$seed.bin" "${features[@]}" -o "$work/$seed.wasm" 2>/dev/null
  modules+=("$work/$seed.wasm")
done
"$runner" "${modules[@]}" > "$work/tc.txt"
node "$here/diff_node.js" "${modules[@]}" > "$work/node.txt"

# A module our runner stopped for fuel ("timeout") is cut from both sides at that point.
/usr/bin/python3 - "$work/tc.txt" "$work/node.txt" <<'PY'
import sys
def split(path):
    mods, cur = {}, None
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith('module '):
            cur = line[7:]; mods[cur] = []
        else:
            mods[cur].append(line)
    return mods
tc, node = split(sys.argv[1]), split(sys.argv[2])
failed = timeouts = calls = 0
for name, lines in tc.items():
    other = node.get(name, [])
    if 'timeout' in lines:
        cut = lines.index('timeout')
        lines, other = lines[:cut], other[:cut]
        timeouts += 1
    calls += sum(1 for l in lines if l.startswith('call '))
    if lines != other:
        failed += 1
        for i, (a, b) in enumerate(zip(lines + ['<end>'], other + ['<end>'])):
            if a != b:
                print(f'MISMATCH {name} line {i}: tc_wasm "{a}" vs node "{b}"')
                break
print(f'{len(tc)} modules, {calls} export calls compared, {timeouts} cut at the fuel limit, {failed} mismatched')
sys.exit(1 if failed else 0)
PY
