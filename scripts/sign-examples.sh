#!/usr/bin/env bash
# Signs every example container the build produced, with dev keys.
# Usage: scripts/sign-examples.sh KEYDIR OUTDIR [EXAMPLES_BUILD_DIR] [TINYCTL]
#   KEYDIR               dev keys; created when missing: acme.key (tenant key, signs uids starting
#                        with "acme."), operator.key (operator: config updates), and trust/ with
#                        both public keys (the device's trust store)
#   OUTDIR               receives <name>.tc for each example (build/host-release/examples/<name>/)
#   EXAMPLES_BUILD_DIR   default build/host-release/examples
#   TINYCTL              default build/bin/tinyctl
# Prints one line per image; exits non-zero if any example fails to sign.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -lt 2 ]; then
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
keys=$1
out=$2
examples=${3:-$root/build/host-release/examples}
tinyctl=${4:-$root/build/bin/tinyctl}

[ -x "$tinyctl" ] || { echo "sign-examples: $tinyctl not found (build host-release first)" >&2; exit 1; }
[ -d "$examples" ] || { echo "sign-examples: $examples not found (build host-release first)" >&2; exit 1; }
mkdir -p "$keys/trust" "$out"
if [ ! -f "$keys/acme.key" ]; then
  "$tinyctl" keygen acme --role tenant --uid-prefix acme. --dir "$keys" >/dev/null
fi
if [ ! -f "$keys/operator.key" ]; then
  "$tinyctl" keygen operator --role operator --dir "$keys" >/dev/null
fi
cp "$keys/acme.pub" "$keys/operator.pub" "$keys/trust/"

signed=0
for dir in "$examples"/*/; do
  name=$(basename "$dir")
  [ -f "$dir/manifest.json" ] || continue
  code=""
  for candidate in "$dir/$name.wasm" "$dir/$name.o"; do
    [ -f "$candidate" ] && code=$candidate
  done
  if [ -z "$code" ]; then
    echo "sign-examples: $dir has a manifest but no $name.wasm or $name.o" >&2
    exit 1
  fi
  "$tinyctl" build "$dir/manifest.json" --code "$code" --key "$keys/acme.key" -o "$out/$name.tc"
  signed=$((signed + 1))
done
[ "$signed" -gt 0 ] || { echo "sign-examples: no examples in $examples" >&2; exit 1; }
echo "signed $signed example image(s) into $out; trust store: $keys/trust"
