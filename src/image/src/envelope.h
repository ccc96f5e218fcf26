// The common front half of verifying a signed image envelope, config update or command: parse,
// check the content type, find the key, check the algorithm and the signature.
#pragma once

#include <cstdint>
#include <span>

#include "tc/image/cose.h"
#include "tc/image/image_verifier.h"

namespace tc::image::internal {

// Positions in the returned Status are relative to `envelope`. `*problem` says which step failed.
Status VerifyEnvelope(std::span<const uint8_t> envelope, const TrustStore& trust,
                      uint64_t content_type, CoseMessage* message, const TrustedKey** signer,
                      ImageProblem* problem);

}  // namespace tc::image::internal
