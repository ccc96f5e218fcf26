// Prints deterministic CBOR encodings of metadata and config updates, one hex document per line
// prefixed by its kind, for metadata_spec_check.py to validate against docs/metadata.cddl.
// Usage: metadata_samples EXAMPLES_DIR
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tc/image/metadata_codec.h"
#include "tc/manifest/manifest.h"

namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

template <typename T, typename Encode>
bool Print(const char* kind, const T& value, Encode encode) {
  uint8_t buffer[1024];
  tc::cbor::Writer w(buffer);
  if (!encode(value, &w, nullptr).ok()) return false;
  std::printf("%s ", kind);
  for (uint8_t b : w.written()) std::printf("%02x", b);
  std::printf("\n");
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string dir = argv[1];
  tc::image::ContainerMetadata m;
  if (auto error = tc::manifest::ParseManifest(Read(dir + "/sampler.json"), &m)) {
    std::fprintf(stderr, "%s\n", error->ToString().c_str());
    return 1;
  }
  const uint8_t kid[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  (void)m.signer_kid.Assign(kid);
  m.code_sha256.fill(0x11);
  m.code_size = 3000;
  bool ok = Print("metadata", m, tc::image::EncodeMetadata);

  // A one-shot eBPF container with data, its own log rate, no expiry, no endpoints.
  tc::image::ContainerMetadata one_shot = m;
  one_shot.runtime = tc::image::RuntimeKind::kEbpf;
  one_shot.entry = {};
  (void)one_shot.entry.start.Assign("_start");
  one_shot.schedule = {};
  one_shot.permissions = {};
  one_shot.has_not_after = false;
  one_shot.not_after = 0;
  one_shot.has_data = true;
  one_shot.data_sha256.fill(0x22);
  one_shot.data_size = 65536;
  one_shot.quotas.has_log_rate = true;
  one_shot.quotas.log_lines_per_s = 1000000;
  one_shot.quotas.log_burst = 40;
  ok = ok && Print("metadata", one_shot, tc::image::EncodeMetadata);

  tc::image::ConfigUpdate u;
  if (auto error = tc::manifest::ParseConfigUpdate(Read(dir + "/sampler-config.json"), &u)) {
    std::fprintf(stderr, "%s\n", error->ToString().c_str());
    return 1;
  }
  ok = ok && Print("config-update", u, tc::image::EncodeConfigUpdate);
  u.has_permissions = true;
  u.permissions = m.permissions;
  u.sequence = 1ull << 40;
  ok = ok && Print("config-update", u, tc::image::EncodeConfigUpdate);
  return ok ? 0 : 1;
}
