#!/usr/bin/env bash
# One example container end to end through the real tools: a fresh dev key, tinyctl build of the
# module CMake produced with its manifest, tinyctl inspect (human and --json), and tinyctl verify
# against a trust store holding only that key.
# Usage: example_image_test.sh TINYCTL WORKDIR MODULE MANIFEST UID
set -u
source "$(dirname "$0")/../lib/expect.sh"
tinyctl=$1
work=$2
module=$3
manifest=$4
uid=$5

rm -rf "$work" && mkdir -p "$work/trust" && cd "$work" || exit 1


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

finish
