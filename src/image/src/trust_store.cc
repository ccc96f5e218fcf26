#include "tc/image/trust_store.h"

#include "tc/crypto/constant_time.h"

namespace tc::image {

namespace {

bool SameKid(const Kid& a, std::span<const uint8_t> b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < b.size(); ++i) {
    if (a.data()[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

TrustStore::~TrustStore() { crypto::SecureZero(keys_, sizeof keys_); }

Status TrustStore::Add(const TrustedKey& key) {
  if (key.kid.empty()) return Status(ErrorCode::kInvalidArgument, "key has an empty kid");
  if (key.role == KeyRole::kTenant && key.uid_prefix.empty()) {
    return Status(ErrorCode::kInvalidArgument, "tenant key needs a uid prefix");
  }
  if (Find(key.kid.span()) != nullptr) {
    return Status(ErrorCode::kAlreadyExists, "a key with this kid is already trusted");
  }
  if (count_ == kMaxTrustedKeys) return Status(ErrorCode::kResourceExhausted, "trust store full");
  keys_[count_++] = key;
  return Status::Ok();
}

Status TrustStore::Remove(std::span<const uint8_t> kid) {
  for (size_t i = 0; i < count_; ++i) {
    if (!SameKid(keys_[i].kid, kid)) continue;
    for (size_t j = i; j + 1 < count_; ++j) keys_[j] = keys_[j + 1];
    --count_;
    crypto::SecureZero(&keys_[count_], sizeof keys_[count_]);
    return Status::Ok();
  }
  return Status(ErrorCode::kNotFound, "no trusted key with this kid");
}

const TrustedKey* TrustStore::Find(std::span<const uint8_t> kid) const {
  for (size_t i = 0; i < count_; ++i) {
    if (SameKid(keys_[i].kid, kid)) return &keys_[i];
  }
  return nullptr;
}

Status AuthorizeImage(const TrustedKey& signer, const ContainerMetadata& metadata) {
  if (signer.role == KeyRole::kOperator) return Status::Ok();
  const std::string_view prefix = signer.uid_prefix.view();
  if (prefix.empty() || metadata.uid.view().substr(0, prefix.size()) != prefix) {
    return Status(ErrorCode::kPermissionDenied, "tenant key may not sign images for this uid");
  }
  return Status::Ok();
}

Status AuthorizeConfigUpdate(const TrustedKey& signer) {
  if (signer.role != KeyRole::kOperator) {
    return Status(ErrorCode::kPermissionDenied, "only operator keys sign config updates");
  }
  return Status::Ok();
}

Status CheckNotExpired(const ContainerMetadata& metadata, uint64_t now) {
  if (metadata.has_not_after && now > metadata.not_after) {
    return Status(ErrorCode::kExpired, "image expired (now is after not_after)");
  }
  return Status::Ok();
}

Status CheckVersion(uint32_t installed_version, uint32_t new_version) {
  if (new_version <= installed_version) {
    return Status(ErrorCode::kRollback, "version not above the installed version");
  }
  return Status::Ok();
}

Status CheckSequence(uint64_t last_applied, uint64_t new_sequence) {
  if (new_sequence <= last_applied) {
    return Status(ErrorCode::kRollback, "sequence not above the last applied update");
  }
  return Status::Ok();
}

const char* KeyRoleName(KeyRole role) { return role == KeyRole::kOperator ? "operator" : "tenant"; }

const char* KeyTypeName(KeyType type) {
  return type == KeyType::kEd25519 ? "EdDSA" : "HMAC256/256";
}

}  // namespace tc::image
