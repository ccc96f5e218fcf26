#!/usr/bin/env bash
# Fuzzes the CBOR reader and the metadata/config-update decoders with libFuzzer (clang-14,
# ASan + UBSan). Usage: scripts/fuzz-metadata.sh [SECONDS [OUT_DIR]]   (default 60, build/fuzz)
# The corpus starts from the sample metadata and config update; findings land in OUT_DIR.
# CI runs a 5-second smoke version (ctest: cbor.fuzz_smoke, host-release only).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=${2:-build/fuzz}
mkdir -p "$out/corpus"
sources=(tests/fuzz/metadata_fuzz.cc src/encoding/cbor/src/*.cc src/image/src/*.cc src/base/src/*.cc)
clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Isrc/base/include -Isrc/encoding/cbor/include -Isrc/image/include \
  "${sources[@]}" -o "$out/metadata_fuzz"
# Seeds: the python3-cbor2-encoded sample metadata used by the device test, and a config update.
/usr/bin/python3 - "$out/corpus" <<'PY'
import sys
from cbor2.encoder import dumps
sample = {0: 1, 1: "sampler", 2: 3, 3: 0, 4: {0: "tc_init", 1: "tc_loop", 2: "tc_stop"},
          5: {0: 16384, 1: 2048, 2: 512, 3: 4},
          6: {0: 5, 1: 50000, 2: 2000, 3: 40000, 4: 1000, 5: 0, 6: 3},
          7: {0: 19, 1: [{0: 1, 1: [0, 2, 72], 2: 0}, {0: 2, 1: [1, "aggregator", 1], 2: 1}], 2: 0},
          8: 1798761600, 9: bytes.fromhex("deadbeef"), 10: bytes([0xab] * 32), 11: 1234,
          12: bytes(32), 13: 5}
update = {0: 1, 1: "sampler", 2: 7, 3: sample[6], 4: sample[7]}
open(sys.argv[1] + "/metadata.cbor", "wb").write(dumps(sample, canonical=True))
open(sys.argv[1] + "/update.cbor", "wb").write(dumps(update, canonical=True))
PY
"$out/metadata_fuzz" -max_total_time="$seconds" -max_len=1024 -artifact_prefix="$out/" \
  "$out/corpus"
