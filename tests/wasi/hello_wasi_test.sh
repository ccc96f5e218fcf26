#!/usr/bin/env bash
# `tinyctl run hello_wasi.wasm` prints what the native build of the same C program prints:
# identical stdout, identical stderr and the same exit code.
set -u
tinyctl=$1 native=$2 wasm=$3 work=$4
if [ ! -f "$wasm" ]; then
  echo "SKIP: $wasm was not built (clang-14 with wasi-libc for wasm32-wasi not available)"
  exit 0
fi
mkdir -p "$work"
"$native" >"$work/native.out" 2>"$work/native.err"
native_rc=$?
"$tinyctl" run "$wasm" >"$work/wasi.out" 2>"$work/wasi.err"
wasi_rc=$?
failures=0
if ! cmp -s "$work/native.out" "$work/wasi.out"; then
  echo "FAIL stdout differs:"; diff "$work/native.out" "$work/wasi.out"; failures=$((failures + 1))
fi
if ! cmp -s "$work/native.err" "$work/wasi.err"; then
  echo "FAIL stderr differs:"; diff "$work/native.err" "$work/wasi.err"; failures=$((failures + 1))
fi
if [ "$native_rc" -ne "$wasi_rc" ]; then
  echo "FAIL exit code: native $native_rc, tinyctl run $wasi_rc"; failures=$((failures + 1))
fi
# Fuel and memory limits still apply to a WASI program.
"$tinyctl" run "$wasm" --fuel 100 >/dev/null 2>"$work/fuel.err"
if [ $? -ne 1 ] || ! grep -q "ran out of fuel" "$work/fuel.err"; then
  echo "FAIL --fuel 100 did not stop the program:"; cat "$work/fuel.err"; failures=$((failures + 1))
fi
"$tinyctl" run "$wasm" --memory-limit 4096 >/dev/null 2>"$work/mem.err"
if [ $? -ne 1 ] || ! grep -q "instantiation failed" "$work/mem.err"; then
  echo "FAIL --memory-limit 4096 was not refused:"; cat "$work/mem.err"; failures=$((failures + 1))
fi
# A WASI function outside the subset is named before anything runs.
if command -v wat2wasm >/dev/null; then
  printf '(module (import "wasi_snapshot_preview1" "path_open" (func)) (func (export "_start")))' \
    >"$work/path_open.wat"
  wat2wasm "$work/path_open.wat" -o "$work/path_open.wasm"
  "$tinyctl" run "$work/path_open.wasm" >/dev/null 2>"$work/unknown.err"
  if [ $? -ne 1 ] || ! grep -q "unresolved imports: wasi_snapshot_preview1.path_open" "$work/unknown.err"; then
    echo "FAIL unknown import not named:"; cat "$work/unknown.err"; failures=$((failures + 1))
  fi
else
  echo "SKIP: unknown-import check (wat2wasm not installed)"
fi
[ "$failures" -eq 0 ] && echo "ok   hello_wasi: stdout, stderr and exit code $wasi_rc match the native build"
exit $((failures > 0))
