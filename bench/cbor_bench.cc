// Work loops for instruction counting (scripts/bench.sh runs them under callgrind with two
// iteration counts and divides the difference). Usage: cbor_bench OPERATION ITERATIONS
//   decode-metadata  DecodeMetadata of the 175-byte sample metadata
//   encode-metadata  EncodeMetadata of the same
//   skip-document    Reader::SkipItem over a 4 KiB mixed document (validating, deterministic mode)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "tc/cbor/reader.h"
#include "tc/cbor/writer.h"
#include "tc/image/metadata_codec.h"

namespace {

tc::image::ContainerMetadata Sample() {
  tc::image::ContainerMetadata m;
  (void)m.uid.Assign("sampler");
  m.version = 3;
  (void)m.entry.init.Assign("tc_init");
  (void)m.entry.loop.Assign("tc_loop");
  (void)m.entry.stop.Assign("tc_stop");
  m.quotas = {16384, 2048, 512, 4};
  m.schedule = {5, 50000, 2000, 40000, 1000, tc::image::OverrunPolicy::kThrottle, 3};
  m.permissions.services = 0b10011;
  tc::image::Endpoint sensor;
  sensor.id = 1;
  sensor.peer.device_class = tc::image::DeviceClass::kI2c;
  sensor.peer.address = 0x48;
  (void)m.permissions.endpoints.push_back(sensor);
  tc::image::Endpoint channel;
  channel.id = 2;
  channel.peer.kind = tc::image::PeerKind::kContainer;
  (void)channel.peer.container_uid.Assign("aggregator");
  channel.peer.container_endpoint = 1;
  channel.direction = tc::image::Direction::kOut;
  (void)m.permissions.endpoints.push_back(channel);
  m.has_not_after = true;
  m.not_after = 1798761600;
  const uint8_t kid[] = {0xde, 0xad, 0xbe, 0xef};
  (void)m.signer_kid.Assign(kid);
  m.code_sha256.fill(0xab);
  m.code_size = 1234;
  return m;
}

// An array of records {0: uint, 1: text, 2: bytes(16), 3: [int, int, float]} of about 4 KiB.
std::vector<uint8_t> MixedDocument() {
  std::vector<uint8_t> out(8192);
  tc::cbor::Writer w(out);
  const int records = 100;
  (void)w.WriteArrayHeader(records);
  const uint8_t blob[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  for (int i = 0; i < records; ++i) {
    (void)w.WriteMapHeader(4);
    (void)w.WriteUint(0);
    (void)w.WriteUint(static_cast<uint64_t>(i) * 1000);
    (void)w.WriteUint(1);
    (void)w.WriteText("sensor-reading");
    (void)w.WriteUint(2);
    (void)w.WriteBytes(blob);
    (void)w.WriteUint(3);
    (void)w.WriteArrayHeader(3);
    (void)w.WriteInt(-i);
    (void)w.WriteInt(i * 70000);
    (void)w.WriteFloat(1.5 * i);
  }
  out.resize(w.size());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s decode-metadata|encode-metadata|skip-document N\n", argv[0]);
    return 2;
  }
  const long iterations = std::strtol(argv[2], nullptr, 10);
  const tc::image::ContainerMetadata sample = Sample();
  uint8_t blob[512];
  tc::cbor::Writer w(blob);
  if (!tc::image::EncodeMetadata(sample, &w).ok()) return 1;
  const std::vector<uint8_t> document = MixedDocument();
  unsigned failures = 0;
  for (long i = 0; i < iterations; ++i) {
    if (std::strcmp(argv[1], "decode-metadata") == 0) {
      tc::image::ContainerMetadata m;
      failures += tc::image::DecodeMetadata(w.written(), &m).ok() ? 0 : 1;
    } else if (std::strcmp(argv[1], "encode-metadata") == 0) {
      uint8_t out[512];
      tc::cbor::Writer ew(out);
      failures += tc::image::EncodeMetadata(sample, &ew).ok() ? 0 : 1;
    } else if (std::strcmp(argv[1], "skip-document") == 0) {
      tc::cbor::Reader r(document);
      failures += r.SkipItem().ok() ? 0 : 1;
    } else {
      return 2;
    }
  }
  std::printf("%s bytes=%zu\n", argv[1],
              std::strcmp(argv[1], "skip-document") == 0 ? document.size() : w.size());
  return failures == 0 ? 0 : 1;
}
