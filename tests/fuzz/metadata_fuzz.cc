// libFuzzer target: arbitrary bytes through the CBOR reader (item walk + skip) and the metadata and
// config-update decoders. Whatever the input, no crash, no sanitizer report, and an accepted
// document re-encodes to bytes that decode to the same value. (Not necessarily to the input:
// extension keys >= 256 are skipped, so they are not re-encoded.)
#include <cstdint>
#include <cstdlib>

#include "tc/cbor/reader.h"
#include "tc/cbor/writer.h"
#include "tc/image/metadata_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> input(data, size);
  {
    tc::cbor::ReaderOptions options;
    options.deterministic = (size & 1) != 0;
    tc::cbor::Reader r(input, options);
    while (!r.AtEnd() && r.SkipItem().ok()) {
    }
  }
  {
    // Typed walk: read whatever comes, one head at a time.
    tc::cbor::Reader r(input);
    for (int steps = 0; steps < 4096 && !r.AtEnd(); ++steps) {
      tc::Result<tc::cbor::Head> head = r.PeekHead();
      if (!head.ok()) break;
      bool ok = true;
      switch (head->major) {
        case tc::cbor::MajorType::kUnsigned: ok = r.ReadUint().ok(); break;
        case tc::cbor::MajorType::kNegative: ok = r.ReadInt().ok() || r.SkipItem().ok(); break;
        case tc::cbor::MajorType::kBytes: ok = r.ReadBytes().ok(); break;
        case tc::cbor::MajorType::kText: ok = r.ReadText().ok(); break;
        case tc::cbor::MajorType::kArray: ok = r.ReadArrayHeader().ok(); break;
        case tc::cbor::MajorType::kMap: ok = r.ReadMapHeader().ok(); break;
        case tc::cbor::MajorType::kTag: ok = r.ReadTag().ok(); break;
        case tc::cbor::MajorType::kSimple: ok = r.ReadFloat().ok() || r.ReadSimple().ok(); break;
      }
      if (!ok) break;
    }
  }
  tc::image::ContainerMetadata metadata;
  tc::image::MetadataError error;
  if (tc::image::DecodeMetadata(input, &metadata, &error).ok()) {
    uint8_t out[1024];
    tc::cbor::Writer w(out);
    tc::image::ContainerMetadata again;
    if (!tc::image::EncodeMetadata(metadata, &w).ok() ||
        !tc::image::DecodeMetadata(w.written(), &again).ok() || !(again == metadata)) {
      std::abort();
    }
  } else {
    char text[160];
    error.Describe(text);
  }
  tc::image::ConfigUpdate update;
  if (tc::image::DecodeConfigUpdate(input, &update).ok()) {
    uint8_t out[512];
    tc::cbor::Writer w(out);
    tc::image::ConfigUpdate again;
    if (!tc::image::EncodeConfigUpdate(update, &w).ok() ||
        !tc::image::DecodeConfigUpdate(w.written(), &again).ok() || !(again == update)) {
      std::abort();
    }
  }
  return 0;
}
