#!/usr/bin/env bash
# tinyctl new: each kind of project scaffolds, builds with its own CMakeLists.txt (clang-14 via
# cmake/TcContainer.cmake), is signed by that build with a fresh dev key, verifies, and runs where
# it can (wasi under tinyctl run). Bad uids, a non-empty directory and a bad --sdk are refused.
# Usage: tinyctl_new_test.sh TINYCTL SOURCE_DIR WORKDIR
set -u
source "$(dirname "$0")/../lib/expect.sh"
tinyctl=$1
source_dir=$2
work=$3
rm -rf "$work" && mkdir -p "$work/trust" && cd "$work" || exit 1


expect help 0 'wasm\|wasi\|ebpf|--runtime' -- "$tinyctl" new --help
expect help-explains 0 'non-empty|not empty' -- "$tinyctl" new --help
expect keygen 0 'role tenant' -- "$tinyctl" keygen dev --role tenant --uid-prefix acme.
cp dev.pub trust/

# One project per runtime: scaffold, configure with the signing key, build, verify, inspect.
scaffold() {  # scaffold RUNTIME UID MODULE_EXT
  local runtime=$1 uid=$2 ext=$3 dir=$work/$2
  expect "new-$runtime" 0 "created $runtime container project $uid" -- \
    "$tinyctl" new "$uid" --runtime "$runtime" --dir "$dir" --sdk "$source_dir"
  expect "$runtime-files" 0 'CMakeLists.txt' -- ls "$dir/CMakeLists.txt" "$dir/manifest.json" "$dir/README.md"
  expect "$runtime-configure" 0 'Generating done|Build files have been written' -- \
    cmake -S "$dir" -B "$dir/build" -DTC_CONTAINER_SIGNING_KEY="$work/dev.key" -DTC_TINYCTL="$tinyctl"
  expect "$runtime-build" 0 '.' -- cmake --build "$dir/build"
  expect "$runtime-module" 0 '' -- test -s "$dir/build/$uid/$uid.$ext"
  expect "$runtime-verify" 0 "verified .*: $uid v1" -- \
    "$tinyctl" verify "$dir/build/$uid/$uid.tc" --trust trust
  expect "$runtime-inspect" 0 "$uid" -- "$tinyctl" inspect "$dir/build/$uid/$uid.tc"
}
scaffold wasm acme.thermo wasm
scaffold ebpf acme.bpfprobe o
if [ -f /usr/lib/wasm32-wasi/libc.a ] || [ -f /usr/share/wasi-sysroot/lib/wasm32-wasi/libc.a ]; then
  scaffold wasi acme.printer wasm
  expect wasi-runs 0 '^hello from acme.printer$' -- "$tinyctl" run "$work/acme.printer/build/acme.printer/acme.printer.wasm"
else
  echo "SKIP wasi scaffold: wasi-libc not installed"
fi
# The wasm project imports the tc services, which tinyctl run does not provide: it says so by name
# (which also shows the module decoded).
expect wasm-needs-device 1 'unresolved imports: tc.log' -- \
  "$tinyctl" run "$work/acme.thermo/build/acme.thermo/acme.thermo.wasm" --invoke tc_loop

# Refusals, each without creating anything.
for bad in "" "_underscore-first" ".dot-first" "has space" "slash/name" "ümlaut" "abcdefghijklmnopqrstuvwxyz0123456"; do
  expect "bad-uid[$bad]" 1 'not a valid container uid' -- "$tinyctl" new "$bad" --dir "$work/bad" --sdk "$source_dir"
done
expect bad-uid-created-nothing 1 '' -- test -e "$work/bad"
mkdir -p "$work/occupied" && touch "$work/occupied/keep.txt"
expect non-empty-dir 1 'exists and is not empty' -- "$tinyctl" new acme.x --dir "$work/occupied" --sdk "$source_dir"
expect non-empty-dir-untouched 0 '^keep.txt$' -- ls "$work/occupied"
touch "$work/plainfile"
expect file-not-dir 1 'not a directory' -- "$tinyctl" new acme.x --dir "$work/plainfile" --sdk "$source_dir"
mkdir -p "$work/empty"
expect empty-dir-ok 0 'created wasm' -- "$tinyctl" new acme.y --dir "$work/empty" --sdk "$source_dir"
expect bad-runtime 2 'runtime' -- "$tinyctl" new acme.z --runtime jvm --dir "$work/z" --sdk "$source_dir"
expect bad-sdk 1 'not a TinyContainer source tree' -- "$tinyctl" new acme.z --dir "$work/z" --sdk "$work"
expect default-dir 0 'created wasm container project acme.w in acme.w' -- "$tinyctl" new acme.w --sdk "$source_dir"

finish
