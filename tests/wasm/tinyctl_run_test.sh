#!/usr/bin/env bash
# `tinyctl run` as PRODUCT §5 specifies it: results one per line, exit codes, clear messages.
set -u
source "$(dirname "$0")/../lib/expect.sh"
tinyctl=$1 wat=$2 work=$3
if ! command -v wat2wasm >/dev/null; then
  echo "SKIP: wat2wasm (Debian package wabt) not installed"
  exit 0
fi
mkdir -p "$work"
module="$work/cli_sample.wasm"
wat2wasm "$wat" -o "$module" || exit 1
printf '\x00asm\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01' > "$work/truncated.wasm"
printf '\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x02\x0a\x01\x02tc\x03log\x00\x00' > "$work/imports.wasm"

expect_stdout() {  # expect_stdout NAME EXACT_STDOUT -- ARGS...: exit 0 and exactly this stdout
  local name=$1 want=$2
  shift 3
  local out rc
  out=$("$tinyctl" run "$@" 2>/dev/null)
  rc=$?
  if [ "$rc" -ne 0 ] || [ "$out" != "$want" ]; then
    echo "FAIL $name: exit $rc, stdout:"; echo "$out"; failures=$((failures + 1)); return
  fi
  echo "ok   $name"
}

expect_stdout add $'-3' -- "$module" --invoke add 2 -5
expect_stdout fib $'6765' -- "$module" --invoke fib 20
expect_stdout multi-value-floats $'1.5\n0.1' -- "$module" --invoke fl 1.5 0.1
expect stats 0 'fuel used: +[0-9]+' -- "$tinyctl" run "$module" --invoke fib 5 --stats
expect trap-div 1 'trapped: integer divide by zero' -- "$tinyctl" run "$module" --invoke div 1 0
expect out-of-fuel 1 'ran out of fuel' -- "$tinyctl" run "$module" --invoke loop --fuel 1000
expect_stdout sub-page-ok 7 -- "$module" --invoke poke 4092 --memory-limit 4096
expect sub-page-trap 1 'out of bounds memory access' -- "$tinyctl" run "$module" --invoke poke 4093 --memory-limit 4096
expect_stdout sub-page-grow -1 -- "$module" --invoke grow 1 --memory-limit 4096
expect_stdout sub-page-size 1 -- "$module" --invoke size --memory-limit 4096
expect no-start 1 'exports no _start' -- "$tinyctl" run "$module"
expect unknown-export 1 "no exported function named 'nope'" -- "$tinyctl" run "$module" --invoke nope
expect bad-arg 2 "not a valid i32" -- "$tinyctl" run "$module" --invoke add x 1
expect arg-count 2 "takes 2 argument" -- "$tinyctl" run "$module" --invoke add 1
expect malformed 1 'module rejected: malformed.*byte offset' -- "$tinyctl" run "$work/truncated.wasm" --invoke f
expect missing-imports 1 'tc\.log' -- "$tinyctl" run "$work/imports.wasm"
expect not-wasm 1 'not a WebAssembly module' -- "$tinyctl" run "$wat"
expect no-file 1 'cannot read' -- "$tinyctl" run "$work/none.wasm"

finish
