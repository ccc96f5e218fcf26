#!/usr/bin/env bash
# scripts/sign-examples.sh: makes dev keys once, signs every example the build produced with the
# tenant key, and every image verifies against the trust store it wrote.
# Usage: sign_examples_test.sh SCRIPT TINYCTL EXAMPLES_BUILD_DIR WORKDIR
set -u
source "$(dirname "$0")/../lib/expect.sh"
script=$1
tinyctl=$2
examples=$3
work=$4
rm -rf "$work" && mkdir -p "$work" || exit 1


expect usage 2 'Usage' -- "$script"
expect sign 0 'signed [0-9]+ example image' -- "$script" "$work/keys" "$work/images" "$examples" "$tinyctl"
kid=$(sha256sum "$work/keys/acme.key")
expect sign-again 0 'signed' -- "$script" "$work/keys" "$work/images" "$examples" "$tinyctl"
expect keys-kept 0 '' -- test "$kid" = "$(sha256sum "$work/keys/acme.key")"
expect no-build-dir 1 'not found' -- "$script" "$work/keys" "$work/images" "$work/nosuch" "$tinyctl"

modules=0
for dir in "$examples"/*/; do
  name=$(basename "$dir")
  [ -f "$dir/manifest.json" ] || continue
  modules=$((modules + 1))
  expect "verify-$name" 0 "verified .*: acme\.$name" -- \
    "$tinyctl" verify "$work/images/$name.tc" --trust "$work/keys/trust"
done
expect all-examples 0 '^([7-9]|[1-9][0-9])$' -- echo "$modules"

finish
