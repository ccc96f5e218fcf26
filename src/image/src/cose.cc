// COSE_Sign1 / COSE_Mac0 parsing (RFC 9052 §4.2, §6.2) and verification over the to-be-signed
// structure, fed piece by piece.
#include "tc/image/cose.h"

#include "tc/cbor/reader.h"

namespace tc::image {

namespace {

constexpr char kSign1Context[] = "Signature1";
constexpr char kMac0Context[] = "MAC0";

// Reader errors inside the protected header's bstr refer to that bstr; shift them to the input.
Status Shift(const Status& status, size_t base) {
  const uint32_t position =
      static_cast<uint32_t>(base + (status.has_position() ? status.position() : 0));
  return Status(status.code(), status.message(), position);
}

class HeaderParser {
 public:
  explicit HeaderParser(CoseMessage* message) : m_(message) {}

  // One header map (protected or unprotected). Positions in errors are relative to `r`'s input.
  Status Parse(cbor::Reader& r, bool is_protected) {
    const size_t map_position = r.position();
    auto count = r.ReadMapHeader();
    if (!count.ok()) {
      return Status(ErrorCode::kMalformed, "COSE header is not a map",
                    static_cast<uint32_t>(map_position));
    }
    for (uint64_t i = 0; i < *count; ++i) {
      const uint32_t at = static_cast<uint32_t>(r.position());
      TC_ASSIGN_OR_RETURN(const cbor::Head head, r.PeekHead());
      if (head.major == cbor::MajorType::kText) {
        TC_RETURN_IF_ERROR(r.SkipItem());  // text labels are private use: ignored with value
        TC_RETURN_IF_ERROR(r.SkipItem());
        continue;
      }
      if (head.major != cbor::MajorType::kUnsigned && head.major != cbor::MajorType::kNegative) {
        return Status(ErrorCode::kInvalid, "COSE header label is not an integer or text", at);
      }
      TC_ASSIGN_OR_RETURN(const int64_t label, r.ReadInt());
      TC_RETURN_IF_ERROR(Value(r, label, is_protected, at));
    }
    return Status::Ok();
  }

 private:
  Status Value(cbor::Reader& r, int64_t label, bool is_protected, uint32_t at) {
    switch (label) {
      case kCoseHeaderAlg: {
        TC_RETURN_IF_ERROR(Once(&seen_alg_, at));
        if (!is_protected) {
          return Status(ErrorCode::kInvalid, "alg must be in the protected header", at);
        }
        TC_ASSIGN_OR_RETURN(const cbor::Head head, r.PeekHead());
        m_->has_alg = true;
        if (head.major == cbor::MajorType::kText) return r.SkipItem();  // a named alg: unsupported
        auto alg = r.ReadInt();
        if (!alg.ok()) return Status(ErrorCode::kInvalid, "alg is not an integer", at);
        m_->alg = *alg;
        return Status::Ok();
      }
      case kCoseHeaderCrit:
        return Status(ErrorCode::kUnsupported, "critical COSE headers are not supported", at);
      case kCoseHeaderContentType: {
        TC_RETURN_IF_ERROR(Once(&seen_content_type_, at));
        if (!is_protected) {
          return Status(ErrorCode::kInvalid, "content type must be in the protected header", at);
        }
        TC_ASSIGN_OR_RETURN(const cbor::Head head, r.PeekHead());
        if (head.major == cbor::MajorType::kText) return r.SkipItem();  // not one of ours
        auto type = r.ReadUint();
        if (!type.ok()) return Status(ErrorCode::kInvalid, "content type is not a uint", at);
        m_->has_content_type = true;
        m_->content_type = *type;
        return Status::Ok();
      }
      case kCoseHeaderKid: {
        TC_RETURN_IF_ERROR(Once(&seen_kid_, at));
        auto kid = r.ReadBytes();
        if (!kid.ok()) return Status(ErrorCode::kInvalid, "kid is not a byte string", at);
        if (kid->empty() || kid->size() > kMaxKidLength) {
          return Status(ErrorCode::kOutOfRange, "kid must be 1..16 bytes", at);
        }
        m_->kid = *kid;
        return Status::Ok();
      }
      default: return r.SkipItem();  // other parameters (iv, counter signatures, ...) do not apply
    }
  }

  static Status Once(bool* seen, uint32_t at) {
    if (*seen) return Status(ErrorCode::kAlreadyExists, "COSE header label appears twice", at);
    *seen = true;
    return Status::Ok();
  }

  CoseMessage* m_;
  bool seen_alg_ = false;
  bool seen_content_type_ = false;
  bool seen_kid_ = false;
};

}  // namespace

Status ParseCose(std::span<const uint8_t> in, CoseMessage* out) {
  cbor::Reader r(in);
  CoseMessage m;
  auto tag = r.ReadTag();
  if (!tag.ok() || (*tag != kCoseSign1Tag && *tag != kCoseMac0Tag)) {
    return Status(ErrorCode::kMalformed, "not a tagged COSE_Sign1 or COSE_Mac0", 0);
  }
  m.kind = *tag == kCoseSign1Tag ? CoseKind::kSign1 : CoseKind::kMac0;
  const uint32_t array_at = static_cast<uint32_t>(r.position());
  auto items = r.ReadArrayHeader();
  if (!items.ok() || *items != 4) {
    return Status(ErrorCode::kMalformed, "COSE structure is not an array of 4", array_at);
  }

  const size_t protected_at = r.position();
  auto protected_bytes = r.ReadBytes();
  if (!protected_bytes.ok()) {
    return Status(ErrorCode::kMalformed, "protected header is not a byte string",
                  static_cast<uint32_t>(protected_at));
  }
  if (protected_bytes->size() > kMaxProtectedHeaderSize) {
    return Status(ErrorCode::kOutOfRange, "protected header too large",
                  static_cast<uint32_t>(protected_at));
  }
  m.protected_header = *protected_bytes;
  HeaderParser headers(&m);
  if (!protected_bytes->empty()) {  // h'' stands for an empty map (RFC 9052 §3)
    const size_t base = static_cast<size_t>(protected_bytes->data() - in.data());
    cbor::Reader inner(*protected_bytes);
    Status status = headers.Parse(inner, true);
    if (status.ok() && !inner.AtEnd()) {
      status = Status(ErrorCode::kMalformed, "bytes after the protected header map",
                      static_cast<uint32_t>(inner.position()));
    }
    if (!status.ok()) return Shift(status, base);
  }
  TC_RETURN_IF_ERROR(headers.Parse(r, false));

  const uint32_t payload_at = static_cast<uint32_t>(r.position());
  TC_ASSIGN_OR_RETURN(const cbor::Head payload_head, r.PeekHead());
  if (payload_head.major == cbor::MajorType::kSimple &&
      payload_head.additional == cbor::kSimpleNull) {
    return Status(ErrorCode::kUnsupported, "detached COSE payload is not supported", payload_at);
  }
  auto payload = r.ReadBytes();
  if (!payload.ok())
    return Status(ErrorCode::kMalformed, "payload is not a byte string", payload_at);
  m.payload = *payload;

  const uint32_t tag_at = static_cast<uint32_t>(r.position());
  auto signature = r.ReadBytes();
  if (!signature.ok()) {
    return Status(ErrorCode::kMalformed, "signature/tag is not a byte string", tag_at);
  }
  m.tag = *signature;
  if (!r.AtEnd()) {
    return Status(ErrorCode::kMalformed, "bytes after the COSE structure",
                  static_cast<uint32_t>(r.position()));
  }
  *out = m;
  return Status::Ok();
}

Status CheckCoseAlgorithm(const CoseMessage& message, const TrustedKey& key) {
  if (!message.has_alg) return Status(ErrorCode::kUnsupported, "no alg in the protected header");
  const bool sign1 = message.kind == CoseKind::kSign1;
  if (message.alg != (sign1 ? kCoseAlgEdDSA : kCoseAlgHmac256)) {
    return Status(ErrorCode::kUnsupported, sign1 ? "COSE_Sign1 alg is not EdDSA (-8)"
                                                 : "COSE_Mac0 alg is not HMAC 256/256 (5)");
  }
  if (key.type != (sign1 ? KeyType::kEd25519 : KeyType::kHmacSha256)) {
    return Status(ErrorCode::kUnsupported, "alg does not match the type of the signer's key");
  }
  return Status::Ok();
}

ToBeSignedHeads WriteToBeSignedHeads(CoseKind kind, size_t protected_size, size_t payload_size,
                                     uint8_t* out) {
  // The heads are tiny and fixed-shape, so they are written directly rather than through a
  // cbor::Writer (keeps the device verify path small).
  auto head = [](uint8_t major, uint64_t value, uint8_t* p) -> size_t {
    const size_t size = cbor::HeadSize(value);
    const uint8_t additional = size == 1   ? static_cast<uint8_t>(value)
                               : size == 2 ? 24
                               : size == 3 ? 25
                               : size == 5 ? 26
                                           : 27;
    p[0] = static_cast<uint8_t>(major << 5 | additional);
    for (size_t i = 1; i < size; ++i) p[i] = static_cast<uint8_t>(value >> (8 * (size - 1 - i)));
    return size;
  };
  const char* context = kind == CoseKind::kSign1 ? kSign1Context : kMac0Context;
  const size_t context_size =
      kind == CoseKind::kSign1 ? sizeof kSign1Context - 1 : sizeof kMac0Context - 1;
  size_t n = head(4, 4, out);
  n += head(3, context_size, out + n);
  for (size_t i = 0; i < context_size; ++i) out[n++] = static_cast<uint8_t>(context[i]);
  n += head(2, protected_size, out + n);
  ToBeSignedHeads heads;
  heads.before_protected = n;
  n += head(2, 0, out + n);  // external_aad: empty
  n += head(2, payload_size, out + n);
  heads.between = n - heads.before_protected;
  return heads;
}

Status CoseVerifier::Start(const CoseMessage& message, const TrustedKey& key, size_t payload_size) {
  started_ = false;
  hmac_.reset();
  TC_RETURN_IF_ERROR(CheckCoseAlgorithm(message, key));
  kind_ = message.kind;
  if (kind_ == CoseKind::kSign1) {
    if (message.tag.size() != crypto::kEd25519SignatureSize) {
      return Status(ErrorCode::kIntegrityError, "signature is not 64 bytes");
    }
    if (!ed25519_.Start({key.key, kTrustedKeySize}, message.tag).ok()) {
      return Status(ErrorCode::kIntegrityError, "signature does not match the key");
    }
  } else {
    if (message.tag.size() != crypto::HmacSha256::kTagSize) {
      return Status(ErrorCode::kIntegrityError, "MAC tag is not 32 bytes");
    }
    hmac_.emplace(std::span<const uint8_t>(key.key, kTrustedKeySize));
  }
  tag_ = message.tag;
  uint8_t heads[kCoseToBeSignedHeadMax];
  const ToBeSignedHeads sizes =
      WriteToBeSignedHeads(kind_, message.protected_header.size(), payload_size, heads);
  Feed({heads, sizes.before_protected});
  Feed(message.protected_header);
  Feed({heads + sizes.before_protected, sizes.between});
  payload_left_ = payload_size;
  started_ = true;
  return Status::Ok();
}

void CoseVerifier::Feed(std::span<const uint8_t> bytes) {
  if (kind_ == CoseKind::kSign1) {
    ed25519_.Update(bytes);
  } else {
    hmac_->Update(bytes);
  }
}

void CoseVerifier::Update(std::span<const uint8_t> payload_part) {
  if (!started_) return;
  const size_t n = payload_part.size() < payload_left_ ? payload_part.size() : payload_left_;
  Feed(payload_part.first(n));
  payload_left_ -= n;
}

Status CoseVerifier::Finish() {
  if (!started_) return Status(ErrorCode::kFailedPrecondition, "COSE verifier not started");
  started_ = false;
  if (payload_left_ != 0) {
    hmac_.reset();
    return Status(ErrorCode::kFailedPrecondition, "COSE payload shorter than announced");
  }
  if (kind_ == CoseKind::kSign1) {
    if (!ed25519_.Finish().ok()) {
      return Status(ErrorCode::kIntegrityError, "signature does not match the key");
    }
    return Status::Ok();
  }
  const Status status = hmac_->Verify(tag_);
  hmac_.reset();
  if (!status.ok()) return Status(ErrorCode::kIntegrityError, "MAC does not match the key");
  return Status::Ok();
}

Status VerifyCose(const CoseMessage& message, const TrustedKey& key) {
  CoseVerifier verifier;
  TC_RETURN_IF_ERROR(verifier.Start(message, key, message.payload.size()));
  verifier.Update(message.payload);
  return verifier.Finish();
}

}  // namespace tc::image
