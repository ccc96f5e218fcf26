// SHA-256 (FIPS 180-4). Incremental, so an image can be hashed block by block as it streams in.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tc::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  static constexpr size_t kDigestSize = 32;
  static constexpr size_t kBlockSize = 64;

  Sha256() { Init(); }

  // Starts a new message; the object may be reused after Final().
  void Init();
  void Update(std::span<const uint8_t> data);
  // Returns the digest of everything passed to Update() and re-initialises the object.
  Sha256Digest Final();

  static Sha256Digest Hash(std::span<const uint8_t> data);

 private:
  uint32_t state_[8];
  uint64_t length_;  // bytes hashed so far
  uint8_t buffer_[kBlockSize];
};

}  // namespace tc::crypto
