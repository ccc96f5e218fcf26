// Test-side signing of images, commands and config updates (tinyctl's core + libsodium), behind a
// header without tinyctl's headers so tests built without exceptions can use it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tc/image/command.h"
#include "tc/image/metadata.h"
#include "tc/image/trust_store.h"

namespace tc::mgmt::testing {

using Bytes = std::vector<uint8_t>;

struct TestKey {
  image::TrustedKey info;
  Bytes secret;
};

TestKey MakeKey(const std::string& kid, image::KeyRole role = image::KeyRole::kOperator,
                image::KeyType type = image::KeyType::kEd25519, const std::string& prefix = "");

// A COSE_Sign1/Mac0 over `payload` with content type `content_type`.
Bytes SignCose(const TestKey& key, uint64_t content_type, const Bytes& payload);
// A complete image: signer kid, sizes and digests are filled in from `code` and `data`.
Bytes SignedImage(const TestKey& key, image::ContainerMetadata metadata, const Bytes& code,
                  const Bytes& data = {});
Bytes SignedCommand(const TestKey& key, const std::string& uid, image::CommandAction action,
                    uint64_t sequence);
Bytes SignedConfig(const TestKey& key, const image::ConfigUpdate& update);

}  // namespace tc::mgmt::testing
