#!/usr/bin/env bash
# One example container end to end through the real tools: a fresh dev key, tinyctl build of the
# module CMake produced with its manifest, tinyctl inspect (human and --json), and tinyctl verify
# against a trust store holding only that key.
# Usage: example_image_test.sh TINYCTL WORKDIR MODULE MANIFEST UID
set -u
tinyctl=$1
work=$2
module=$3
manifest=$4
uid=$5
failures=0

rm -rf "$work" && mkdir -p "$work/trust" && cd "$work" || exit 1

expect() {  # expect NAME EXPECTED_EXIT PATTERN -- COMMAND...
  local name=$1 want=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "FAIL $name: exit $rc, want $want; output:"; echo "$out"; failures=$((failures + 1)); return
  fi
  if ! grep -qE -- "$pattern" <<<"$out"; then
    echo "FAIL $name: output lacks /$pattern/:"; echo "$out"; failures=$((failures + 1)); return
  fi
  echo "ok   $name"
}

size=$(stat -c %s "$module")
expect module-built 0 '^[1-9]' -- echo "$size"
# A tenant key for "acme.": the examples' uids carry the tenant prefix.
expect keygen 0 'role tenant' -- "$tinyctl" keygen dev --role tenant --uid-prefix acme.
cp dev.pub trust/
expect build 0 "built image.tc: $uid v[0-9]+" -- \
  "$tinyctl" build "$manifest" --code "$module" --key dev.key -o image.tc
expect inspect 0 "$uid" -- "$tinyctl" inspect image.tc
expect inspect-code-size 0 "\"code_size\": *$size" -- "$tinyctl" inspect --json image.tc
expect verify 0 "verified image.tc: $uid" -- "$tinyctl" verify image.tc --trust trust

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
