#include "signing.h"

#include "image_file.h"
#include "keys.h"
#include "tc/cbor/writer.h"
#include "tc/crypto/sha256.h"

namespace tc::mgmt::testing {

namespace {

tinyctl::SigningKey Signer(const TestKey& key) {
  tinyctl::SigningKey s;
  s.info = key.info;
  s.secret = key.secret;
  return s;
}

}  // namespace

TestKey MakeKey(const std::string& kid, image::KeyRole role, image::KeyType type,
                const std::string& prefix) {
  const tinyctl::SigningKey s =
      tinyctl::MakeSigningKey(role, type, Bytes(kid.begin(), kid.end()), prefix);
  return {s.info, s.secret};
}

Bytes SignCose(const TestKey& key, uint64_t content_type, const Bytes& payload) {
  return tinyctl::SignCose(Signer(key), content_type, payload);
}

Bytes SignedImage(const TestKey& key, image::ContainerMetadata m, const Bytes& code,
                  const Bytes& data) {
  m.signer_kid = key.info.kid;
  const auto code_digest = crypto::Sha256::Hash(code);
  std::copy(code_digest.begin(), code_digest.end(), m.code_sha256.begin());
  m.code_size = static_cast<uint32_t>(code.size());
  m.has_data = !data.empty();
  if (m.has_data) {
    const auto data_digest = crypto::Sha256::Hash(data);
    std::copy(data_digest.begin(), data_digest.end(), m.data_sha256.begin());
    m.data_size = static_cast<uint32_t>(data.size());
  }
  const Bytes envelope =
      SignCose(key, image::kContentTypeMetadata, tinyctl::EncodeMetadataBytes(m));
  return tinyctl::AssembleImage(envelope, code, data);
}

Bytes SignedCommand(const TestKey& key, const std::string& uid, image::CommandAction action,
                    uint64_t sequence) {
  image::Command command;
  (void)command.uid.Assign(uid);
  command.action = action;
  command.sequence = sequence;
  Bytes payload(64);
  cbor::Writer w(payload);
  if (!image::EncodeCommand(command, &w).ok()) return {};
  payload.resize(w.size());
  return SignCose(key, image::kContentTypeCommand, payload);
}

Bytes SignedConfig(const TestKey& key, const image::ConfigUpdate& update) {
  return SignCose(key, image::kContentTypeConfigUpdate, tinyctl::EncodeConfigUpdateBytes(update));
}

}  // namespace tc::mgmt::testing
