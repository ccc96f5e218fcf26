#include "tc/crypto/hmac_sha256.h"

#include "tc/crypto/constant_time.h"

namespace tc::crypto {
namespace {

constexpr uint8_t kInnerPad = 0x36;
constexpr uint8_t kOuterPad = 0x5c;

// Starts `sha` on (key block XOR pad).
void StartPadded(Sha256& sha, const uint8_t* key_block, uint8_t pad) {
  uint8_t padded[Sha256::kBlockSize];
  for (size_t i = 0; i < Sha256::kBlockSize; ++i) padded[i] = key_block[i] ^ pad;
  sha.Update(padded);
  SecureZero(padded, sizeof padded);
}

}  // namespace

HmacSha256::HmacSha256(std::span<const uint8_t> key) {
  size_t used = key.size();
  if (key.size() > Sha256::kBlockSize) {
    Sha256Digest hashed = Sha256::Hash(key);
    for (size_t i = 0; i < hashed.size(); ++i) key_block_[i] = hashed[i];
    used = hashed.size();
    SecureZero(hashed.data(), hashed.size());
  } else {
    for (size_t i = 0; i < used; ++i) key_block_[i] = key[i];
  }
  for (size_t i = used; i < Sha256::kBlockSize; ++i) key_block_[i] = 0;
  Restart();
}

HmacSha256::~HmacSha256() {
  SecureZero(key_block_, sizeof key_block_);
  SecureZero(&inner_, sizeof inner_);
}

void HmacSha256::Restart() {
  inner_.Init();
  StartPadded(inner_, key_block_, kInnerPad);
}

void HmacSha256::Update(std::span<const uint8_t> data) { inner_.Update(data); }

Sha256Digest HmacSha256::Final() {
  Sha256Digest inner_digest = inner_.Final();
  Sha256 outer;
  StartPadded(outer, key_block_, kOuterPad);
  outer.Update(inner_digest);
  Restart();
  return outer.Final();
}

Status HmacSha256::Verify(std::span<const uint8_t> tag) {
  Sha256Digest computed = Final();
  if (tag.size() != kTagSize) {
    return Status(ErrorCode::kInvalidArgument, "HMAC-SHA256 tag must be 32 bytes");
  }
  if (!ConstantTimeEqual(computed, tag)) {
    return Status(ErrorCode::kIntegrityError, "HMAC-SHA256 tag does not match");
  }
  return Status::Ok();
}

Sha256Digest HmacSha256::Mac(std::span<const uint8_t> key, std::span<const uint8_t> data) {
  HmacSha256 hmac(key);
  hmac.Update(data);
  return hmac.Final();
}

}  // namespace tc::crypto
