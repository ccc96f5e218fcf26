#include "edwards25519.h"
#include "scalar25519.h"
#include "tc/crypto/ed25519.h"

namespace tc::crypto {

Status Ed25519Verifier::Start(std::span<const uint8_t> public_key,
                              std::span<const uint8_t> signature) {
  started_ = false;
  if (public_key.size() != kEd25519PublicKeySize) {
    return Status(ErrorCode::kInvalidArgument, "Ed25519 public key must be 32 bytes");
  }
  if (signature.size() != kEd25519SignatureSize) {
    return Status(ErrorCode::kInvalidArgument, "Ed25519 signature must be 64 bytes");
  }
  // A non-canonical S would make signatures malleable (S and S + L both verify).
  if (!internal::ScalarIsCanonical(signature.data() + 32)) {
    return Status(ErrorCode::kIntegrityError, "Ed25519 signature S is not below the group order",
                  32);
  }
  internal::Fe y;
  if (!internal::FeFromBytes(y, public_key.data())) {
    return Status(ErrorCode::kMalformed, "Ed25519 public key is not canonical (y >= p)");
  }
  for (size_t i = 0; i < kEd25519PublicKeySize; ++i) public_key_[i] = public_key[i];
  for (size_t i = 0; i < kEd25519SignatureSize; ++i) signature_[i] = signature[i];
  challenge_.Init();
  challenge_.Update(std::span<const uint8_t>(signature_, 32));
  challenge_.Update(public_key_);
  started_ = true;
  return Status::Ok();
}

void Ed25519Verifier::Update(std::span<const uint8_t> message_part) {
  if (started_) challenge_.Update(message_part);
}

Status Ed25519Verifier::Finish() {
  if (!started_) {
    return Status(ErrorCode::kFailedPrecondition, "Ed25519 verification was not started");
  }
  started_ = false;
  internal::Point a;
  if (internal::PointDecode(a, public_key_) != internal::DecodeResult::kOk) {
    return Status(ErrorCode::kMalformed, "Ed25519 public key is not a curve point");
  }
  // Small-order keys let one signature verify for many messages; libsodium refuses them.
  if (internal::PointHasSmallOrder(a)) {
    return Status(ErrorCode::kInvalid, "Ed25519 public key has small order");
  }
  uint8_t k[32];
  internal::ScalarReduce512(k, challenge_.Final().data());
  internal::PointNegate(a, a);
  internal::Point r;
  internal::DoubleScalarMulBase(r, signature_ + 32, k, a);
  uint8_t r_encoded[32];
  internal::PointEncode(r_encoded, r);
  uint8_t diff = 0;
  for (size_t i = 0; i < 32; ++i) {
    diff = static_cast<uint8_t>(diff | (r_encoded[i] ^ signature_[i]));
  }
  if (diff != 0) return Status(ErrorCode::kIntegrityError, "Ed25519 signature does not match", 0);
  // R equals the computed point; libsodium also refuses it when it is a small-order point.
  if (internal::PointHasSmallOrder(r)) {
    return Status(ErrorCode::kIntegrityError, "Ed25519 signature R has small order", 0);
  }
  return Status::Ok();
}

Status Ed25519Verify(std::span<const uint8_t> public_key, std::span<const uint8_t> message,
                     std::span<const uint8_t> signature) {
  Ed25519Verifier verifier;
  TC_RETURN_IF_ERROR(verifier.Start(public_key, signature));
  verifier.Update(message);
  return verifier.Finish();
}

}  // namespace tc::crypto
