// COSE_Sign1 and COSE_Mac0 (RFC 9052) for signed metadata and config updates: parsing into views
// of the input and verification over the standard Sig_structure / MAC_structure
// (["Signature1" | "MAC0", body_protected, external_aad = h'', payload]).
//
// The structure to be signed is never assembled: its CBOR heads are written into a few bytes on
// the stack and fed to SHA-512 (Ed25519) or HMAC-SHA256 together with the protected header and
// the payload, each straight from where it already lies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "tc/base/status.h"
#include "tc/crypto/ed25519.h"
#include "tc/crypto/hmac_sha256.h"
#include "tc/image/trust_store.h"

namespace tc::image {

enum class CoseKind : uint8_t { kSign1, kMac0 };

inline constexpr uint64_t kCoseSign1Tag = 18;
inline constexpr uint64_t kCoseMac0Tag = 17;
inline constexpr int64_t kCoseAlgEdDSA = -8;
inline constexpr int64_t kCoseAlgHmac256 = 5;  // HMAC 256/256
inline constexpr int64_t kCoseHeaderAlg = 1;
inline constexpr int64_t kCoseHeaderCrit = 2;
inline constexpr int64_t kCoseHeaderContentType = 3;
inline constexpr int64_t kCoseHeaderKid = 4;
// Content formats (CoAP experimental-use range) in the protected header say what the payload is,
// so a signed config update can never be taken for signed metadata or the other way round.
inline constexpr uint64_t kContentTypeMetadata = 65000;
inline constexpr uint64_t kContentTypeConfigUpdate = 65001;
// Largest protected header accepted (alg + content type + a 16-byte kid need 27 bytes).
inline constexpr size_t kMaxProtectedHeaderSize = 64;

// A parsed COSE_Sign1 / COSE_Mac0; every span points into the parsed input.
struct CoseMessage {
  CoseKind kind = CoseKind::kSign1;
  std::span<const uint8_t> protected_header;  // the serialized map inside the bstr
  bool has_alg = false;
  int64_t alg = 0;
  bool has_content_type = false;  // only unsigned-integer content formats are recorded
  uint64_t content_type = 0;
  std::span<const uint8_t> kid;  // empty: no kid header
  std::span<const uint8_t> payload;
  std::span<const uint8_t> tag;  // the signature or MAC
};

// Parses a tagged COSE_Sign1 (tag 18) or COSE_Mac0 (tag 17) that fills `in` exactly.
// kMalformed: not such a structure, a header that is not a map, a protected header whose bstr
//   does not hold exactly one map, bytes after the structure;
// kAlreadyExists: a header label twice (in one bucket or in both);
// kInvalid: alg outside the protected header, a wrongly typed alg/kid/content type;
// kOutOfRange: a kid longer than 16 bytes or a protected header over kMaxProtectedHeaderSize;
// kUnsupported: critical headers (crit), a detached (nil) payload;
// CBOR reader errors (kTruncated, ...) as they come. `out` is only written on success.
Status ParseCose(std::span<const uint8_t> in, CoseMessage* out);

// kUnsupported unless the message's alg is the one its kind and the key's type require
// (Sign1 + EdDSA + Ed25519 key, Mac0 + HMAC 256/256 + HMAC key).
Status CheckCoseAlgorithm(const CoseMessage& message, const TrustedKey& key);

// Verifies a message whose payload may arrive in pieces (Start, Update..., Finish).
class CoseVerifier {
 public:
  // Checks the algorithm and the tag length and feeds the structure up to the payload.
  // `payload_size` is the total number of payload bytes Update() will receive.
  Status Start(const CoseMessage& message, const TrustedKey& key, size_t payload_size);
  void Update(std::span<const uint8_t> payload_part);
  // OK only if the signature / MAC is valid (kIntegrityError otherwise) and exactly
  // `payload_size` bytes were fed (kFailedPrecondition).
  Status Finish();

 private:
  void Feed(std::span<const uint8_t> bytes);

  CoseKind kind_ = CoseKind::kSign1;
  crypto::Ed25519Verifier ed25519_;
  std::optional<crypto::HmacSha256> hmac_;
  std::span<const uint8_t> tag_;
  size_t payload_left_ = 0;
  bool started_ = false;
};

// Start + Update(message.payload) + Finish.
Status VerifyCose(const CoseMessage& message, const TrustedKey& key);

// Writes the CBOR of the to-be-signed structure up to and including the payload's bstr head
// (array head, context string, protected header bstr head) into `out`, which must hold
// kCoseToBeSignedHeadMax bytes; returns the bytes before the protected header (`*before`) and the
// bytes between the protected header and the payload. Host signers use it too.
inline constexpr size_t kCoseToBeSignedHeadMax = 32;
struct ToBeSignedHeads {
  size_t before_protected = 0;  // [array head, context, protected bstr head]
  size_t between = 0;           // [empty external_aad, payload bstr head]
};
ToBeSignedHeads WriteToBeSignedHeads(CoseKind kind, size_t protected_size, size_t payload_size,
                                     uint8_t* out);

}  // namespace tc::image
