// The device's trust store: a fixed number of keys, each identified by its kid, with a role that
// decides what it may sign (docs/security.md) and a type that decides how it verifies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/status.h"
#include "tc/image/metadata.h"

namespace tc::image {

inline constexpr size_t kMaxTrustedKeys = 8;
inline constexpr size_t kTrustedKeySize = 32;  // Ed25519 public key or HMAC-SHA256 secret

// operator: the device owner; signs config updates and may sign any image.
// tenant: an application vendor; signs images whose uid starts with its uid_prefix, nothing else.
enum class KeyRole : uint8_t { kOperator = 0, kTenant = 1 };
enum class KeyType : uint8_t { kEd25519 = 0, kHmacSha256 = 1 };

struct TrustedKey {
  Kid kid;
  KeyRole role = KeyRole::kTenant;
  KeyType type = KeyType::kEd25519;
  uint8_t key[kTrustedKeySize] = {};
  Uid uid_prefix;  // tenant keys only: the uids this key may sign images for
};

class TrustStore {
 public:
  TrustStore() = default;
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;
  ~TrustStore();  // wipes HMAC secrets

  // kInvalidArgument: empty kid, or a tenant key without a uid prefix; kAlreadyExists: kid
  // taken; kResourceExhausted: the store is full. Nothing changes on an error.
  Status Add(const TrustedKey& key);
  // kNotFound when no key has this kid.
  Status Remove(std::span<const uint8_t> kid);
  // nullptr when no key has this kid.
  const TrustedKey* Find(std::span<const uint8_t> kid) const;
  size_t size() const { return count_; }

 private:
  TrustedKey keys_[kMaxTrustedKeys];
  size_t count_ = 0;
};

// What each role may sign (docs/security.md). kPermissionDenied with the reason otherwise.
Status AuthorizeImage(const TrustedKey& signer, const ContainerMetadata& metadata);
Status AuthorizeConfigUpdate(const TrustedKey& signer);

// Freshness checks for the engine. `now` is Unix seconds from the engine's clock.
// kExpired when the metadata has a not_after and now is past it.
Status CheckNotExpired(const ContainerMetadata& metadata, uint64_t now);
// kRollback unless the new version is strictly greater than the installed one.
Status CheckVersion(uint32_t installed_version, uint32_t new_version);
// kRollback unless the sequence number is strictly greater than the last one applied.
Status CheckSequence(uint64_t last_applied, uint64_t new_sequence);

const char* KeyRoleName(KeyRole role);
const char* KeyTypeName(KeyType type);

}  // namespace tc::image
