// HMAC-SHA256 (RFC 2104): incremental and one-shot. Used for COSE_Mac0 (HMAC 256/256).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/status.h"
#include "tc/crypto/sha256.h"

namespace tc::crypto {

class HmacSha256 {
 public:
  static constexpr size_t kTagSize = Sha256::kDigestSize;

  // Any key length is allowed; keys longer than the 64-byte block are hashed first (RFC 2104).
  explicit HmacSha256(std::span<const uint8_t> key);
  // Wipes the key-derived state.
  ~HmacSha256();
  HmacSha256(const HmacSha256&) = delete;
  HmacSha256& operator=(const HmacSha256&) = delete;

  void Update(std::span<const uint8_t> data);
  // Returns the tag of everything passed to Update() and starts a new message under the same key.
  Sha256Digest Final();
  // Final() compared in constant time with an expected full-length tag: OK, kIntegrityError on a
  // mismatch, kInvalidArgument when `tag` is not 32 bytes (truncated tags are not supported).
  Status Verify(std::span<const uint8_t> tag);

  static Sha256Digest Mac(std::span<const uint8_t> key, std::span<const uint8_t> data);

 private:
  void Restart();

  uint8_t key_block_[Sha256::kBlockSize];  // the key padded to one block
  Sha256 inner_;
};

}  // namespace tc::crypto
