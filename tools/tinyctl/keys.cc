#include "keys.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

namespace tinyctl {

namespace {

namespace img = tc::image;
using nlohmann::json;

void InitSodium() {
  if (sodium_init() < 0) throw CommandError("libsodium failed to initialise");
}

std::string Field(const json& j, const char* key, const std::string& file) {
  if (!j.contains(key)) throw CommandError(file + ": " + key + ": missing");
  if (!j[key].is_string()) throw CommandError(file + ": " + key + ": expected a string");
  return j[key].get<std::string>();
}

// The fields .key and .pub share.
img::TrustedKey ParseCommon(const json& j, const std::string& file) {
  if (!j.is_object()) throw CommandError(file + ": expected a JSON object");
  img::TrustedKey key;
  const Bytes kid = FromHex(Field(j, "kid", file), file + ": kid");
  if (kid.empty() || kid.size() > img::kMaxKidLength) {
    throw CommandError(file + ": kid: must be 1..16 bytes");
  }
  (void)key.kid.Assign(kid);
  const std::string role = Field(j, "role", file);
  if (role == "operator") {
    key.role = img::KeyRole::kOperator;
  } else if (role == "tenant") {
    key.role = img::KeyRole::kTenant;
  } else {
    throw CommandError(file + ": role: expected \"operator\" or \"tenant\", got \"" + role + "\"");
  }
  const std::string alg = Field(j, "alg", file);
  if (alg == "EdDSA") {
    key.type = img::KeyType::kEd25519;
  } else if (alg == "HMAC256/256") {
    key.type = img::KeyType::kHmacSha256;
  } else {
    throw CommandError(file + ": alg: expected \"EdDSA\" or \"HMAC256/256\", got \"" + alg + "\"");
  }
  if (j.contains("uid_prefix")) {
    const std::string prefix = Field(j, "uid_prefix", file);
    if (key.uid_prefix.Assign(prefix).code() != tc::ErrorCode::kOk || prefix.empty()) {
      throw CommandError(file + ": uid_prefix: must be 1..32 characters");
    }
  }
  if (key.role == img::KeyRole::kTenant && key.uid_prefix.empty()) {
    throw CommandError(file + ": uid_prefix: required for tenant keys");
  }
  return key;
}

Bytes Key32(const json& j, const char* field, const std::string& file) {
  const Bytes bytes = FromHex(Field(j, field, file), file + ": " + field);
  if (bytes.size() != img::kTrustedKeySize) {
    throw CommandError(file + ": " + field + ": expected 32 bytes");
  }
  return bytes;
}

json CommonJson(const img::TrustedKey& key) {
  json j = {{"kid", Hex(key.kid.span())},
            {"role", img::KeyRoleName(key.role)},
            {"alg", img::KeyTypeName(key.type)}};
  if (!key.uid_prefix.empty()) j["uid_prefix"] = std::string(key.uid_prefix.view());
  return j;
}

}  // namespace

SigningKey MakeSigningKey(img::KeyRole role, img::KeyType type, const Bytes& kid,
                          const std::string& uid_prefix) {
  InitSodium();
  SigningKey key;
  key.info.role = role;
  key.info.type = type;
  if (!uid_prefix.empty() && !key.info.uid_prefix.Assign(uid_prefix).ok()) {
    throw CommandError("--uid-prefix: must be 1..32 characters");
  }
  if (role == img::KeyRole::kTenant && uid_prefix.empty()) {
    throw CommandError("--uid-prefix: required for tenant keys (the uids they may sign)");
  }
  key.secret.resize(32);
  randombytes_buf(key.secret.data(), key.secret.size());
  if (type == img::KeyType::kEd25519) {
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_seed_keypair(pk, sk, key.secret.data());
    sodium_memzero(sk, sizeof sk);
    std::copy(pk, pk + 32, key.info.key);
  } else {
    std::copy(key.secret.begin(), key.secret.end(), key.info.key);
  }
  Bytes kid_bytes = kid;
  if (kid_bytes.empty()) {  // 8 bytes: the public key's hash, or random for a shared secret
    kid_bytes.resize(8);
    if (type == img::KeyType::kEd25519) {
      uint8_t digest[crypto_hash_sha256_BYTES];
      crypto_hash_sha256(digest, key.info.key, 32);
      std::copy(digest, digest + 8, kid_bytes.begin());
    } else {
      randombytes_buf(kid_bytes.data(), kid_bytes.size());
    }
  }
  if (kid_bytes.size() > img::kMaxKidLength) throw CommandError("--kid: at most 16 bytes");
  (void)key.info.kid.Assign(kid_bytes);
  return key;
}

void GenerateKey(const std::filesystem::path& dir, const std::string& name, img::KeyRole role,
                 img::KeyType type, const Bytes& kid, const std::string& uid_prefix,
                 SigningKey* out) {
  const auto key_path = dir / (name + ".key");
  const auto pub_path = dir / (name + ".pub");
  for (const auto& path : {key_path, pub_path}) {
    if (std::filesystem::exists(path)) {
      throw CommandError(path.string() + ": exists; remove it first (keys are never overwritten)");
    }
  }
  SigningKey key = MakeSigningKey(role, type, kid, uid_prefix);
  json secret_json = CommonJson(key.info);
  secret_json["secret"] = Hex(key.secret);
  json pub_json = CommonJson(key.info);
  pub_json["key"] = Hex({key.info.key, 32});
  WriteTextFile(key_path, secret_json.dump(2) + "\n", 0600);
  // A symmetric key's trust entry is the secret itself.
  WriteTextFile(pub_path, pub_json.dump(2) + "\n", type == img::KeyType::kEd25519 ? 0644 : 0600);
  key.path = key_path.string();
  *out = std::move(key);
}

SigningKey LoadSigningKey(const std::filesystem::path& path) {
  const std::string file = path.string();
  json j;
  try {
    j = json::parse(ReadTextFile(path));
  } catch (const json::parse_error& e) {
    throw CommandError(file + ": not valid JSON: " + e.what());
  }
  SigningKey key;
  key.info = ParseCommon(j, file);
  key.secret = Key32(j, "secret", file);
  key.path = file;
  if (key.info.type == img::KeyType::kEd25519) {
    InitSodium();
    uint8_t sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_seed_keypair(key.info.key, sk, key.secret.data());
    sodium_memzero(sk, sizeof sk);
  } else {
    std::copy(key.secret.begin(), key.secret.end(), key.info.key);
  }
  return key;
}

img::TrustedKey LoadPublicKey(const std::filesystem::path& path) {
  const std::string file = path.string();
  json j;
  try {
    j = json::parse(ReadTextFile(path));
  } catch (const json::parse_error& e) {
    throw CommandError(file + ": not valid JSON: " + e.what());
  }
  img::TrustedKey key = ParseCommon(j, file);
  const Bytes material = Key32(j, "key", file);
  std::copy(material.begin(), material.end(), key.key);
  return key;
}

void LoadTrustDir(const std::filesystem::path& dir, img::TrustStore* store) {
  if (!std::filesystem::is_directory(dir)) {
    throw CommandError(dir.string() + ": trust directory does not exist");
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".pub") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) throw CommandError(dir.string() + ": no .pub files in the trust directory");
  for (const auto& file : files) {
    const tc::Status status = store->Add(LoadPublicKey(file));
    if (!status.ok()) throw CommandError(file.string() + ": " + status.message());
  }
}

Bytes SignBytes(const SigningKey& key, std::span<const uint8_t> message) {
  InitSodium();
  if (key.info.type == img::KeyType::kEd25519) {
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_seed_keypair(pk, sk, key.secret.data());
    Bytes signature(crypto_sign_BYTES);
    crypto_sign_detached(signature.data(), nullptr, message.data(), message.size(), sk);
    sodium_memzero(sk, sizeof sk);
    return signature;
  }
  Bytes tag(crypto_auth_hmacsha256_BYTES);
  crypto_auth_hmacsha256(tag.data(), message.data(), message.size(), key.secret.data());
  return tag;
}

}  // namespace tinyctl
