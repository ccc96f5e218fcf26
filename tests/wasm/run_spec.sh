#!/usr/bin/env bash
# Converts one folder of the spec suite with wast2json (at test time, into WORKDIR) and runs the
# runner over it. Older proposal folders use pre-2019 instruction names that wabt 1.0.32 no
# longer parses; they are renamed to the current names first (documented in docs/wasm.md).
# usage: run_spec.sh RUNNER TESTDATA_DIR FOLDER WORKDIR EXCLUSIONS
set -euo pipefail
runner=$1 testdata=$2 folder=$3 workdir=$4 exclusions=$5

if [[ ! -d "$testdata/wasm-spec" ]]; then
  echo "SKIP: spec test data not found at $testdata/wasm-spec"
  exit 0
fi
if ! command -v wast2json >/dev/null; then
  echo "SKIP: wast2json (Debian package wabt) not installed"
  exit 0
fi

# Every folder but bulk-memory-operations predates bulk memory and expects WebAssembly 1.0
# instantiation (all segments bounds-checked before any is written).
mvp=(--mvp)
if [[ "$folder" == core ]]; then
  src="$testdata/wasm-spec"
else
  src="$testdata/wasm-spec/proposals/$folder"
  [[ "$folder" == bulk-memory-operations ]] && mvp=()
fi
out="$workdir/$folder"
rm -rf "$out" && mkdir -p "$out"

jsons=()
for wast in "$src"/*.wast; do
  name=$(basename "$wast" .wast)
  flags=()
  if [[ "$folder" == core && "$name" == elem ]]; then
    flags=(--disable-bulk-memory --disable-reference-types)
  fi
  sed -e 's/get_local/local.get/g; s/set_local/local.set/g; s/tee_local/local.tee/g' \
      -e 's/get_global/global.get/g; s/set_global/global.set/g' \
      -e 's/(ref\.null)/(ref.null func)/g; s/\banyfunc\b/funcref/g' \
      -e '/passive element segment containing opcode ref.null/,/end/{s/\\09\\06\\01/\\09\\07\\01/;s/\\d0\\0b/\\d0\\70\\0b/}' \
      "$wast" > "$out/$name.wast"
  (cd "$out" && wast2json "${flags[@]}" "$name.wast" -o "$name.json")
  jsons+=("$out/$name.json")
done
exec "$runner" "${mvp[@]}" --exclusions "$exclusions" "${jsons[@]}"
