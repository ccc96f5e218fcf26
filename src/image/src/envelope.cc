#include "envelope.h"

#include "tc/image/command.h"

namespace tc::image::internal {

namespace {

const char* WrongContentTypeMessage(uint64_t expected) {
  switch (expected) {
    case kContentTypeMetadata: return "COSE content type is not container metadata (65000)";
    case kContentTypeConfigUpdate: return "COSE content type is not a config update (65001)";
    case kContentTypeCommand: return "COSE content type is not a command (65002)";
    default: return "COSE content type is not the expected one";
  }
}

}  // namespace

// The common front half of image and config-update verification: parse, find the key, check the
// algorithm and the signature. Positions are relative to `envelope`.
Status VerifyEnvelope(std::span<const uint8_t> envelope, const TrustStore& trust,
                      uint64_t content_type, CoseMessage* message, const TrustedKey** signer,
                      ImageProblem* problem) {
  Status status = ParseCose(envelope, message);
  if (!status.ok()) {
    *problem = ImageProblem::kEnvelope;
    return status;
  }
  if (!message->has_content_type || message->content_type != content_type) {
    *problem = ImageProblem::kWrongContentType;
    return Status(ErrorCode::kInvalid, WrongContentTypeMessage(content_type), 0);
  }
  if (message->kid.empty()) {
    *problem = ImageProblem::kUnknownKey;
    return Status(ErrorCode::kNotFound, "COSE message has no kid", 0);
  }
  *signer = trust.Find(message->kid);
  if (*signer == nullptr) {
    *problem = ImageProblem::kUnknownKey;
    return Status(ErrorCode::kNotFound, "kid is not in the trust store",
                  static_cast<uint32_t>(message->kid.data() - envelope.data()));
  }
  status = CheckCoseAlgorithm(*message, **signer);
  if (!status.ok()) {
    *problem = ImageProblem::kWrongAlgorithm;
    return Status(status.code(), status.message(), 0);
  }
  status = VerifyCose(*message, **signer);
  if (!status.ok()) {
    *problem = ImageProblem::kBadSignature;
    return Status(status.code(), status.message(),
                  static_cast<uint32_t>(message->tag.data() - envelope.data()));
  }
  return Status::Ok();
}

}  // namespace tc::image::internal
