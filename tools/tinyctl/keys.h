// Key files (docs/security.md, "Key files"):
//   NAME.key  secret, mode 0600: {"kid", "role", "alg", "secret", "uid_prefix"?}
//             secret = the 32-byte Ed25519 seed or the 32-byte HMAC key, hex
//   NAME.pub  trust-store entry: {"kid", "role", "alg", "key", "uid_prefix"?}
//             key = the Ed25519 public key, or for HMAC the shared secret (then also mode 0600)
// kid is hex (1..16 bytes), role "operator" | "tenant", alg "EdDSA" | "HMAC256/256".
#pragma once

#include <filesystem>
#include <string>

#include "tc/image/trust_store.h"
#include "tool_io.h"

namespace tinyctl {

struct SigningKey {
  tc::image::TrustedKey info;  // kid, role, type, uid prefix; `key` = public key / HMAC secret
  Bytes secret;                // Ed25519 seed or HMAC key (32 bytes)
  std::string path;
};

// A fresh key in memory (random seed / secret). An empty `kid` gets 8 bytes derived from the
// public key (Ed25519) or random bytes (HMAC).
SigningKey MakeSigningKey(tc::image::KeyRole role, tc::image::KeyType type, const Bytes& kid,
                          const std::string& uid_prefix);

// Creates NAME.key and NAME.pub in `dir`. Refuses to overwrite existing files.
void GenerateKey(const std::filesystem::path& dir, const std::string& name, tc::image::KeyRole role,
                 tc::image::KeyType type, const Bytes& kid, const std::string& uid_prefix,
                 SigningKey* out);

SigningKey LoadSigningKey(const std::filesystem::path& path);
tc::image::TrustedKey LoadPublicKey(const std::filesystem::path& path);
// Every *.pub file of `dir`, in name order. Errors name the file and the field.
void LoadTrustDir(const std::filesystem::path& dir, tc::image::TrustStore* store);

// Ed25519 signature / HMAC-SHA256 tag of `message` with libsodium.
Bytes SignBytes(const SigningKey& key, std::span<const uint8_t> message);

}  // namespace tinyctl
