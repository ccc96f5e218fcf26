// Work loops for instruction counting of image verification (scripts/bench-image.sh runs them
// under callgrind with two iteration counts and divides the difference).
// Usage: image_bench OPERATION ITERATIONS
//   verify-sign1   ImageVerifier over a COSE_Sign1 image: 16 KiB code + 4 KiB data, 512-byte chunks
//   verify-mac0    the same image signed with COSE_Mac0 (HMAC-SHA256)
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "image_file.h"
#include "keys.h"
#include "tc/image/image_verifier.h"
#include "tc/manifest/manifest.h"

namespace {

namespace img = tc::image;

tinyctl::Bytes BuildImage(const tinyctl::SigningKey& key) {
  img::ContainerMetadata m;
  const char* manifest = R"({"uid": "sampler", "version": 3, "runtime": "wasm",
                             "quotas": {"memory_limit": "16KiB"}})";
  if (tc::manifest::ParseManifest(manifest, &m)) std::abort();
  tinyctl::Bytes code(16384), data(4096);
  for (size_t i = 0; i < code.size(); ++i) code[i] = static_cast<uint8_t>(i * 31);
  m.code_sha256 = tc::crypto::Sha256::Hash(code);
  m.code_size = static_cast<uint32_t>(code.size());
  m.has_data = true;
  m.data_sha256 = tc::crypto::Sha256::Hash(data);
  m.data_size = static_cast<uint32_t>(data.size());
  (void)m.signer_kid.Assign(key.info.kid.span());
  return tinyctl::AssembleImage(
      tinyctl::SignCose(key, img::kContentTypeMetadata, tinyctl::EncodeMetadataBytes(m)), code,
      data);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: image_bench verify-sign1|verify-mac0 ITERATIONS\n");
    return 2;
  }
  const bool mac0 = std::strcmp(argv[1], "verify-mac0") == 0;
  const tinyctl::SigningKey key = tinyctl::MakeSigningKey(
      img::KeyRole::kOperator, mac0 ? img::KeyType::kHmacSha256 : img::KeyType::kEd25519,
      {'o', 'p'}, "");
  const tinyctl::Bytes image = BuildImage(key);
  static img::TrustStore trust;
  if (!trust.Add(key.info).ok()) return 1;
  const long iterations = std::atol(argv[2]);
  int ok = 0;
  for (long i = 0; i < iterations; ++i) {
    img::ImageVerifier verifier(trust, {});
    for (size_t at = 0; at < image.size(); at += 512) {
      (void)verifier.Feed(
          std::span<const uint8_t>(image).subspan(at, std::min<size_t>(512, image.size() - at)));
    }
    ok += verifier.Finish().ok();
  }
  std::printf("bytes=%zu ok=%d\n", image.size(), ok);
  return ok == iterations ? 0 : 1;
}
