#!/usr/bin/env bash
# examples/hello_wasi under `tinyctl run`: formatted stdout, the stderr line and exit code 7.
# Usage: hello_wasi_run_test.sh TINYCTL MODULE
set -u
errfile=$(mktemp)
out=$("$1" run "$2" 2>"$errfile")
rc=$?
err=$(cat "$errfile")
rm -f "$errfile"
failures=0
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
check exit-code-7 [ "$rc" -eq 7 ]
check greeting grep -qx "hello from TinyContainer" <<<"$out"
check squares grep -qx "done: 385 ok" <<<"$out"
check stderr-line [ "$err" = "a line on stderr" ]
[ "$failures" -eq 0 ] || { echo "stdout:"; echo "$out"; echo "stderr:"; echo "$err"; exit 1; }
