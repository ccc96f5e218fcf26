// The streaming image verifier: header -> envelope (signature, metadata, policy) -> code -> data.
#include "tc/image/image_verifier.h"

#include "envelope.h"
#include "tc/crypto/constant_time.h"
#include "tc/image/metadata_codec.h"

namespace tc::image {

namespace {

uint32_t Position(const Status& status, size_t base) {
  return static_cast<uint32_t>(base + (status.has_position() ? status.position() : 0));
}

bool SameKid(const Kid& kid, std::span<const uint8_t> other) {
  return crypto::ConstantTimeEqual(kid.span(), other);
}

}  // namespace

ImageVerifier::ImageVerifier(const TrustStore& trust, const ImageVerifyOptions& options,
                             const ImageSink& sink)
    : trust_(trust), options_(options), sink_(sink) {}

Status ImageVerifier::Fail(ImageProblem problem, const Status& status) {
  stage_ = ImageStage::kFailed;
  problem_ = problem;
  status_ = status;
  return status_;
}

Status ImageVerifier::FailAt(ImageProblem problem, ErrorCode code, const char* message,
                             uint32_t position) {
  return Fail(problem, Status(code, message, position));
}

Status ImageVerifier::Feed(std::span<const uint8_t> chunk) {
  while (!chunk.empty()) {
    size_t used = 0;
    switch (stage_) {
      case ImageStage::kHeader: used = TakeHeader(chunk); break;
      case ImageStage::kEnvelope: used = TakeEnvelope(chunk); break;
      case ImageStage::kCode:
      case ImageStage::kData: used = TakeSection(chunk); break;
      case ImageStage::kDone:
        return FailAt(ImageProblem::kTrailingBytes, ErrorCode::kMalformed,
                      "bytes after the end of the image", offset_);
      case ImageStage::kFailed: return status_;
    }
    if (stage_ == ImageStage::kFailed) return status_;
    chunk = chunk.subspan(used);
  }
  return status_;
}

Status ImageVerifier::Finish() {
  switch (stage_) {
    case ImageStage::kDone: return Status::Ok();
    case ImageStage::kFailed: return status_;
    case ImageStage::kHeader:
      return FailAt(ImageProblem::kTruncated, ErrorCode::kTruncated, "image ends inside the header",
                    offset_);
    case ImageStage::kEnvelope:
      return FailAt(ImageProblem::kTruncated, ErrorCode::kTruncated,
                    "image ends inside the signed metadata", offset_);
    case ImageStage::kCode:
      return FailAt(ImageProblem::kTruncated, ErrorCode::kTruncated, "image ends inside the code",
                    offset_);
    case ImageStage::kData:
      return FailAt(ImageProblem::kTruncated, ErrorCode::kTruncated, "image ends inside the data",
                    offset_);
  }
  return status_;
}

size_t ImageVerifier::TakeHeader(std::span<const uint8_t> chunk) {
  size_t used = 0;
  while (used < chunk.size() && offset_ < kImageHeaderSize) header_[offset_++] = chunk[used++];
  if (offset_ == kImageHeaderSize) {
    if (CheckHeader().ok()) stage_ = ImageStage::kEnvelope;
  }
  return used;
}

Status ImageVerifier::CheckHeader() {
  for (size_t i = 0; i < sizeof kImageMagic; ++i) {
    if (header_[i] != kImageMagic[i]) {
      return FailAt(ImageProblem::kBadMagic, ErrorCode::kMalformed,
                    "not a TinyContainer image (magic is not TCIM)", static_cast<uint32_t>(i));
    }
  }
  if (header_[4] != kImageFormatVersion) {
    return FailAt(ImageProblem::kUnsupportedFormat, ErrorCode::kUnsupported,
                  "unsupported image format version", 4);
  }
  if (header_[5] != 0) {
    return FailAt(ImageProblem::kUnsupportedFormat, ErrorCode::kUnsupported,
                  "reserved header byte is not 0", 5);
  }
  envelope_size_ = static_cast<uint16_t>(header_[6] << 8 | header_[7]);
  if (envelope_size_ == 0 || envelope_size_ > kMaxEnvelopeSize) {
    return FailAt(ImageProblem::kEnvelopeTooLarge, ErrorCode::kResourceExhausted,
                  "envelope length is 0 or above the limit", 6);
  }
  return Status::Ok();
}

size_t ImageVerifier::TakeEnvelope(std::span<const uint8_t> chunk) {
  size_t used = 0;
  while (used < chunk.size() && envelope_filled_ < envelope_size_) {
    envelope_[envelope_filled_++] = chunk[used++];
  }
  offset_ += static_cast<uint32_t>(used);
  if (envelope_filled_ == envelope_size_) (void)CheckEnvelope();
  return used;
}

Status ImageVerifier::CheckEnvelope() {
  const std::span<const uint8_t> envelope(envelope_, envelope_size_);
  CoseMessage message;
  ImageProblem problem = ImageProblem::kNone;
  const TrustedKey* signer = nullptr;
  Status status =
      internal::VerifyEnvelope(envelope, trust_, kContentTypeMetadata, &message, &signer, &problem);
  if (!status.ok()) {
    return Fail(problem,
                Status(status.code(), status.message(), Position(status, kImageHeaderSize)));
  }
  const size_t payload_at =
      kImageHeaderSize + static_cast<size_t>(message.payload.data() - envelope_);
  ContainerMetadata metadata;
  status = DecodeMetadata(message.payload, &metadata, &metadata_error_);
  if (!status.ok()) {
    metadata_error_.status = Status(status.code(), status.message(), Position(status, payload_at));
    return Fail(ImageProblem::kMetadata, metadata_error_.status);
  }
  if (!SameKid(metadata.signer_kid, message.kid)) {
    return FailAt(ImageProblem::kKidMismatch, ErrorCode::kInvalid,
                  "metadata signer_kid is not the COSE kid", static_cast<uint32_t>(payload_at));
  }
  status = AuthorizeImage(*signer, metadata);
  if (!status.ok()) return Fail(ImageProblem::kNotAuthorized, status);
  if (options_.check_expiry) {
    status = CheckNotExpired(metadata, options_.now);
    if (!status.ok()) return Fail(ImageProblem::kExpired, status);
  }
  if (metadata.code_size > options_.max_code_size) {
    return FailAt(ImageProblem::kOversized, ErrorCode::kResourceExhausted,
                  "code larger than allowed", static_cast<uint32_t>(payload_at));
  }
  if (metadata.has_data && metadata.data_size > options_.max_data_size) {
    return FailAt(ImageProblem::kOversized, ErrorCode::kResourceExhausted,
                  "data larger than allowed", static_cast<uint32_t>(payload_at));
  }
  if (sink_.on_metadata != nullptr) {
    status = sink_.on_metadata(sink_.context, metadata, *signer);
    if (!status.ok()) {
      return Fail(
          status.code() == ErrorCode::kRollback ? ImageProblem::kRollback : ImageProblem::kRejected,
          status);
    }
  }
  metadata_ = metadata;
  signer_ = signer;
  stage_ = ImageStage::kCode;
  section_left_ = metadata_.code_size;
  section_offset_ = 0;
  hash_.Init();
  return Status::Ok();
}

size_t ImageVerifier::TakeSection(std::span<const uint8_t> chunk) {
  const bool code = stage_ == ImageStage::kCode;
  const size_t used = chunk.size() < section_left_ ? chunk.size() : section_left_;
  const std::span<const uint8_t> part = chunk.first(used);
  hash_.Update(part);
  const auto hook = code ? sink_.on_code : sink_.on_data;
  if (hook != nullptr) {
    const Status status = hook(sink_.context, section_offset_, part);
    if (!status.ok()) {
      (void)Fail(ImageProblem::kRejected, Status(status.code(), status.message(), offset_));
      return used;
    }
  }
  offset_ += static_cast<uint32_t>(used);
  section_offset_ += static_cast<uint32_t>(used);
  section_left_ -= static_cast<uint32_t>(used);
  if (section_left_ != 0) return used;

  const crypto::Sha256Digest digest = hash_.Final();
  const Sha256Digest& expected = code ? metadata_.code_sha256 : metadata_.data_sha256;
  if (!crypto::ConstantTimeEqual(digest, expected)) {
    (void)FailAt(code ? ImageProblem::kCodeDigest : ImageProblem::kDataDigest,
                 ErrorCode::kIntegrityError,
                 code ? "code SHA-256 does not match the metadata"
                      : "data SHA-256 does not match the metadata",
                 offset_ - section_offset_);
    return used;
  }
  if (code && metadata_.has_data && metadata_.data_size > 0) {
    stage_ = ImageStage::kData;
    section_left_ = metadata_.data_size;
    section_offset_ = 0;
    return used;
  }
  // An empty data section still has to carry the digest of no bytes.
  if (code && metadata_.has_data &&
      !crypto::ConstantTimeEqual(crypto::Sha256::Hash({}), metadata_.data_sha256)) {
    (void)FailAt(ImageProblem::kDataDigest, ErrorCode::kIntegrityError,
                 "data SHA-256 does not match the metadata", offset_);
    return used;
  }
  stage_ = ImageStage::kDone;
  return used;
}

Status VerifySignedConfigUpdate(std::span<const uint8_t> signed_update, const TrustStore& trust,
                                ConfigUpdate* update, const TrustedKey** signer,
                                ImageProblem* problem, MetadataError* error) {
  ImageProblem local_problem = ImageProblem::kNone;
  ImageProblem* p = problem != nullptr ? problem : &local_problem;
  *p = ImageProblem::kNone;
  CoseMessage message;
  const TrustedKey* key = nullptr;
  TC_RETURN_IF_ERROR(
      internal::VerifyEnvelope(signed_update, trust, kContentTypeConfigUpdate, &message, &key, p));
  ConfigUpdate decoded;
  const size_t payload_at = static_cast<size_t>(message.payload.data() - signed_update.data());
  const Status status = DecodeConfigUpdate(message.payload, &decoded, error);
  if (!status.ok()) {
    *p = ImageProblem::kMetadata;
    const Status shifted(status.code(), status.message(), Position(status, payload_at));
    if (error != nullptr) error->status = shifted;
    return shifted;
  }
  const Status allowed = AuthorizeConfigUpdate(*key);
  if (!allowed.ok()) {
    *p = ImageProblem::kNotAuthorized;
    return allowed;
  }
  *update = decoded;
  if (signer != nullptr) *signer = key;
  return Status::Ok();
}

const char* ImageProblemName(ImageProblem problem) {
  switch (problem) {
    case ImageProblem::kNone: return "none";
    case ImageProblem::kBadMagic: return "bad-magic";
    case ImageProblem::kUnsupportedFormat: return "unsupported-format";
    case ImageProblem::kEnvelopeTooLarge: return "envelope-too-large";
    case ImageProblem::kEnvelope: return "malformed-envelope";
    case ImageProblem::kWrongContentType: return "wrong-content-type";
    case ImageProblem::kUnknownKey: return "unknown-key";
    case ImageProblem::kWrongAlgorithm: return "wrong-algorithm";
    case ImageProblem::kBadSignature: return "bad-signature";
    case ImageProblem::kMetadata: return "bad-metadata";
    case ImageProblem::kKidMismatch: return "kid-mismatch";
    case ImageProblem::kNotAuthorized: return "not-authorized";
    case ImageProblem::kExpired: return "expired";
    case ImageProblem::kRollback: return "rolled-back";
    case ImageProblem::kOversized: return "oversized";
    case ImageProblem::kCodeDigest: return "wrong-code-digest";
    case ImageProblem::kDataDigest: return "wrong-data-digest";
    case ImageProblem::kTruncated: return "truncated";
    case ImageProblem::kTrailingBytes: return "trailing-bytes";
    case ImageProblem::kRejected: return "rejected";
  }
  return "?";
}

}  // namespace tc::image
