#!/usr/bin/env bash
# cmake/TcContainer.cmake refuses bad tc_container() calls at configure time, naming the
# container and the problem; a good call configures.
# Usage: tc_container_errors_test.sh SOURCE_DIR WORKDIR
set -u
source_dir=$1
work=$2
failures=0
rm -rf "$work" && mkdir -p "$work" || exit 1
printf 'int x;\n' >"$work/a.c"
printf 'int y;\n' >"$work/b.c"
printf '{}\n' >"$work/manifest.json"

# configure NAME EXPECTED_EXIT PATTERN CALL: a project whose only content is CALL.
configure() {
  local name=$1 want=$2 pattern=$3 call=$4 dir=$work/$1
  mkdir -p "$dir"
  cat >"$dir/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(errors NONE)
include($source_dir/cmake/TcContainer.cmake)
$call
CMAKE
  local out rc
  out=$(cmake -S "$dir" -B "$dir/build" 2>&1)
  rc=$?
  if { [ "$want" -eq 0 ] && [ "$rc" -ne 0 ]; } || { [ "$want" -ne 0 ] && [ "$rc" -eq 0 ]; }; then
    echo "FAIL $name: exit $rc; output:"; echo "$out"; failures=$((failures + 1)); return
  fi
  if ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/:"; echo "$out"; failures=$((failures + 1)); return
  fi
  echo "ok   $name"
}

src="SOURCES $work/a.c MANIFEST $work/manifest.json"
configure good 0 'Generating done' "tc_container(good $src RUNTIME wasm)"
configure bad-runtime 1 'tc_container\(x\): RUNTIME must be wasm, wasm-wasi or ebpf, got .jvm.' \
  "tc_container(x $src RUNTIME jvm)"
configure ebpf-two-sources 1 'tc_container\(x\): an eBPF container is one source file' \
  "tc_container(x SOURCES $work/a.c $work/b.c MANIFEST $work/manifest.json RUNTIME ebpf)"
configure ebpf-wasm-options 1 'STACK_SIZE, MEMORY and LINK_OPTIONS are for wasm' \
  "tc_container(x $src RUNTIME ebpf STACK_SIZE 1024)"
configure no-manifest 1 'tc_container\(x\): MANIFEST is required' \
  "tc_container(x SOURCES $work/a.c RUNTIME wasm)"
configure no-sources 1 'tc_container\(x\): SOURCES is required' \
  "tc_container(x MANIFEST $work/manifest.json RUNTIME wasm)"
configure bad-name 1 'the name must be \[A-Za-z0-9._-\]' "tc_container(bad/name $src RUNTIME wasm)"
configure unknown-argument 1 'unknown arguments BOGUS' "tc_container(x $src RUNTIME wasm BOGUS 1)"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
