// Ed25519 signature verification (RFC 8032 §5.1.7, pure Ed25519), accepting exactly what
// libsodium 1.0.18's crypto_sign_verify_detached accepts (docs/crypto.md lists the rules):
//  - S must be below the group order L;
//  - the public key must be a canonical encoding (y < p) of a curve point that is not of small
//    order;
//  - R must be the canonical encoding of [S]B - [k]A (k = SHA-512(R || A || M) mod L, cofactorless
//    equation) and must not be a small-order point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/status.h"
#include "tc/crypto/sha512.h"

namespace tc::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

// Streams the message into the challenge hash, so a signed object never has to be assembled in
// one buffer (COSE's Sig_structure can be fed piece by piece).
class Ed25519Verifier {
 public:
  // Checks the lengths and the cheap encoding rules (S < L, canonical key) and starts the hash.
  Status Start(std::span<const uint8_t> public_key, std::span<const uint8_t> signature);
  void Update(std::span<const uint8_t> message_part);
  // Decodes the key, computes the group equation and compares. OK only if the signature is valid.
  // After Finish() the verifier must be started again.
  Status Finish();

 private:
  Sha512 challenge_;
  uint8_t public_key_[kEd25519PublicKeySize];
  uint8_t signature_[kEd25519SignatureSize];
  bool started_ = false;
};

// One-shot form of Ed25519Verifier. Error codes:
//  kInvalidArgument  wrong public-key or signature length;
//  kMalformed        public key not a canonical encoding or not a curve point;
//  kInvalid          public key of small order;
//  kIntegrityError   S not below L, R of small order, or the equation does not hold.
Status Ed25519Verify(std::span<const uint8_t> public_key, std::span<const uint8_t> message,
                     std::span<const uint8_t> signature);

}  // namespace tc::crypto
