// SHA-512 (FIPS 180-4). Incremental; Ed25519 uses it for the challenge hash.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace tc::crypto {

using Sha512Digest = std::array<uint8_t, 64>;

class Sha512 {
 public:
  static constexpr size_t kDigestSize = 64;
  static constexpr size_t kBlockSize = 128;

  Sha512() { Init(); }

  // Starts a new message; the object may be reused after Final().
  void Init();
  void Update(std::span<const uint8_t> data);
  // Returns the digest of everything passed to Update() and re-initialises the object.
  Sha512Digest Final();

  static Sha512Digest Hash(std::span<const uint8_t> data);

 private:
  uint64_t state_[8];
  uint64_t length_;  // bytes hashed so far (messages beyond 2^64 bytes are out of scope)
  uint8_t buffer_[kBlockSize];
};

}  // namespace tc::crypto
