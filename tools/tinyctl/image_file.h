// Host side of the image format (docs/image-format.md): COSE signing with libsodium, assembling
// an image, and splitting one into its parts for inspection.
#pragma once

#include <optional>

#include "keys.h"
#include "tc/image/cose.h"
#include "tc/image/metadata.h"
#include "tool_io.h"

namespace tinyctl {

// A tagged COSE_Sign1 (Ed25519 key) or COSE_Mac0 (HMAC key) with protected header
// {1: alg, 3: content_type, 4: kid} and an empty unprotected header.
Bytes SignCose(const SigningKey& key, uint64_t content_type, std::span<const uint8_t> payload);

Bytes EncodeMetadataBytes(const tc::image::ContainerMetadata& metadata);
Bytes EncodeConfigUpdateBytes(const tc::image::ConfigUpdate& update);

// header + envelope + code + data.
Bytes AssembleImage(std::span<const uint8_t> envelope, std::span<const uint8_t> code,
                    std::span<const uint8_t> data);

// An image cut along its header's envelope length and the metadata's sizes, without checking
// any signature. Throws CommandError naming what does not fit.
struct ImageParts {
  Bytes envelope;
  tc::image::CoseMessage cose;  // views into `envelope`
  tc::image::ContainerMetadata metadata;
  Bytes code;
  Bytes data;
  size_t trailing = 0;  // bytes after the data
};
bool LooksLikeImage(std::span<const uint8_t> file);
ImageParts SplitImage(const Bytes& image);

}  // namespace tinyctl
