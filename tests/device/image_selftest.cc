// CBOR and container metadata on a Cortex-M4 (QEMU mps2-an386): a metadata blob encoded on the host
// by python3-cbor2 decodes to the expected fields, the on-target encoder reproduces it byte for
// byte, and hostile inputs (truncation, depth bomb, flipped bytes) are refused.
#include <cstring>

#include "device_check.h"
#include "tc/cbor/reader.h"
#include "tc/cbor/writer.h"
#include "tc/image/metadata_codec.h"

namespace {

// cbor2.encoder.dumps(..., canonical=True) of the sample metadata (tests/unit/image builder).
const uint8_t kMetadataBlob[] = {
    0xac, 0x00, 0x01, 0x01, 0x67, 0x73, 0x61, 0x6d, 0x70, 0x6c, 0x65, 0x72, 0x02, 0x03, 0x03, 0x00,
    0x04, 0xa3, 0x00, 0x67, 0x74, 0x63, 0x5f, 0x69, 0x6e, 0x69, 0x74, 0x01, 0x67, 0x74, 0x63, 0x5f,
    0x6c, 0x6f, 0x6f, 0x70, 0x02, 0x67, 0x74, 0x63, 0x5f, 0x73, 0x74, 0x6f, 0x70, 0x05, 0xa4, 0x00,
    0x19, 0x40, 0x00, 0x01, 0x19, 0x08, 0x00, 0x02, 0x19, 0x02, 0x00, 0x03, 0x04, 0x06, 0xa7, 0x00,
    0x05, 0x01, 0x19, 0xc3, 0x50, 0x02, 0x19, 0x07, 0xd0, 0x03, 0x19, 0x9c, 0x40, 0x04, 0x19, 0x03,
    0xe8, 0x05, 0x00, 0x06, 0x03, 0x07, 0xa3, 0x00, 0x13, 0x01, 0x82, 0xa3, 0x00, 0x01, 0x01, 0x83,
    0x00, 0x02, 0x18, 0x48, 0x02, 0x00, 0xa3, 0x00, 0x02, 0x01, 0x83, 0x01, 0x6a, 0x61, 0x67, 0x67,
    0x72, 0x65, 0x67, 0x61, 0x74, 0x6f, 0x72, 0x01, 0x02, 0x01, 0x02, 0x00, 0x08, 0x1a, 0x6b, 0x36,
    0xec, 0x80, 0x09, 0x44, 0xde, 0xad, 0xbe, 0xef, 0x0a, 0x58, 0x20, 0xab, 0xab, 0xab, 0xab, 0xab,
    0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab,
    0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0x0b, 0x19, 0x04, 0xd2,
};

using tc::image::ContainerMetadata;

void CheckCborBasics() {
  // Half, single and double floats widen exactly with the soft-float ABI.
  const uint8_t floats[] = {0xf9, 0x7b, 0xff, 0xfa, 0x47, 0xc3, 0x50, 0x00, 0xfb,
                            0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a};
  tc::cbor::Reader r(floats);
  DEVICE_CHECK(*r.ReadFloat() == 65504.0);
  DEVICE_CHECK(*r.ReadFloat() == 100000.0);
  DEVICE_CHECK(*r.ReadFloat() == 1.1);
  DEVICE_CHECK(r.ExpectEnd().ok());

  uint8_t buffer[16];
  tc::cbor::Writer w(buffer);
  DEVICE_CHECK(w.WriteFloat(65504.0).ok() && w.size() == 3 && buffer[0] == 0xf9);
  DEVICE_CHECK(w.WriteUint(1000000).ok() && w.size() == 8);

  static uint8_t bomb[2000];
  std::memset(bomb, 0x81, sizeof bomb);
  tc::cbor::Reader deep(bomb);
  DEVICE_CHECK(deep.SkipItem().code() == tc::ErrorCode::kResourceExhausted);
  const uint8_t huge[] = {0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  tc::cbor::Reader big(huge);
  DEVICE_CHECK(big.ReadBytes().status().code() == tc::ErrorCode::kTruncated);
}

void CheckMetadata() {
  ContainerMetadata m;
  tc::image::MetadataError error;
  DEVICE_CHECK(tc::image::DecodeMetadata(kMetadataBlob, &m, &error).ok());
  DEVICE_CHECK(m.uid.view() == "sampler");
  DEVICE_CHECK(m.version == 3);
  DEVICE_CHECK(m.entry.loop.view() == "tc_loop");
  DEVICE_CHECK(m.quotas.memory_limit == 16384);
  DEVICE_CHECK(m.schedule.period_us == 50000 && m.schedule.budget_us == 2000);
  DEVICE_CHECK(m.permissions.endpoints.size() == 2);
  DEVICE_CHECK(m.permissions.endpoints[1].peer.container_uid.view() == "aggregator");
  DEVICE_CHECK(m.not_after == 1798761600u);
  DEVICE_CHECK(m.code_size == 1234 && m.code_sha256[31] == 0xab);

  uint8_t out[256];
  tc::cbor::Writer w(out);
  DEVICE_CHECK(tc::image::EncodeMetadata(m, &w).ok());
  DEVICE_CHECK(w.size() == sizeof kMetadataBlob &&
               std::memcmp(out, kMetadataBlob, sizeof kMetadataBlob) == 0);

  int truncations_refused = 0;
  for (size_t cut = 0; cut < sizeof kMetadataBlob; ++cut) {
    ContainerMetadata t;
    if (!tc::image::DecodeMetadata({kMetadataBlob, cut}, &t).ok()) ++truncations_refused;
  }
  DEVICE_CHECK(truncations_refused == static_cast<int>(sizeof kMetadataBlob));

  uint8_t bad[sizeof kMetadataBlob];
  std::memcpy(bad, kMetadataBlob, sizeof bad);
  bad[0x3e] = 0x1a;  // schedule map header -> a uint32 head: wrong type
  ContainerMetadata untouched;
  DEVICE_CHECK(tc::image::DecodeMetadata(bad, &untouched, &error).code() ==
               tc::ErrorCode::kInvalid);
  DEVICE_CHECK(error.field == tc::image::MetadataField::kSchedule);
  DEVICE_CHECK(untouched.uid.empty());
  char text[96];
  error.Describe(text);
  tc::port::ConsoleWrite(text);
  tc::port::ConsoleWrite("\n");
}

}  // namespace

int main() {
  CheckCborBasics();
  CheckMetadata();
  return tc::device_test::Finish("image_selftest");
}
