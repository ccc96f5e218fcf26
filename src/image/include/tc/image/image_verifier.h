// Container image format v1 (docs/image-format.md) and its streaming verifier.
//
//   header   8 bytes: "TCIM", format 1, reserved 0, envelope length (u16 big-endian)
//   envelope a tagged COSE_Sign1 / COSE_Mac0 whose payload is the metadata CBOR
//   code     metadata.code_size bytes, SHA-256 = metadata.code_sha256
//   data     metadata.data_size bytes (optional), SHA-256 = metadata.data_sha256
//
// The verifier takes the image in chunks of any size. It holds only the header and the envelope
// (at most kMaxEnvelopeSize bytes); it verifies the signature and the metadata before it accepts
// the first code byte, then hashes code and data as they pass and hands them to an ImageSink.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/status.h"
#include "tc/crypto/sha256.h"
#include "tc/image/cose.h"
#include "tc/image/metadata.h"
#include "tc/image/metadata_error.h"
#include "tc/image/trust_store.h"

namespace tc::image {

inline constexpr uint8_t kImageMagic[4] = {'T', 'C', 'I', 'M'};
inline constexpr uint8_t kImageFormatVersion = 1;
inline constexpr size_t kImageHeaderSize = 8;
inline constexpr size_t kMaxEnvelopeSize = 1536;

// Why an image was refused: one value per reason, so callers and tests can tell them apart.
enum class ImageProblem : uint8_t {
  kNone = 0,
  kBadMagic,           // the first 4 bytes are not "TCIM" (kMalformed)
  kUnsupportedFormat,  // format byte not 1 or reserved byte not 0 (kUnsupported)
  kEnvelopeTooLarge,   // envelope length 0 or above kMaxEnvelopeSize (kResourceExhausted)
  kEnvelope,           // the COSE structure is malformed (COSE parser's code)
  kWrongContentType,   // the COSE payload is not marked as metadata (kInvalid)
  kUnknownKey,         // no kid, or a kid the trust store does not hold (kNotFound)
  kWrongAlgorithm,     // alg not EdDSA / HMAC 256/256, or not the signer key's type (kUnsupported)
  kBadSignature,       // signature or MAC does not verify with the kid's key (kIntegrityError)
  kMetadata,           // the signed metadata is refused (metadata_error() says why)
  kKidMismatch,        // metadata.signer_kid is not the COSE kid (kInvalid)
  kNotAuthorized,      // the signer's role may not sign this image (kPermissionDenied)
  kExpired,            // past metadata.not_after (kExpired)
  kRollback,           // not newer than the installed version (kRollback, from the sink)
  kOversized,          // code or data larger than allowed (kResourceExhausted)
  kCodeDigest,         // SHA-256 of the code differs from the metadata (kIntegrityError)
  kDataDigest,         // SHA-256 of the data differs from the metadata (kIntegrityError)
  kTruncated,          // Finish() before the last data byte (kTruncated)
  kTrailingBytes,      // bytes after the end of the image (kMalformed)
  kRejected,           // the sink refused the image for another reason (its code)
};
const char* ImageProblemName(ImageProblem problem);

enum class ImageStage : uint8_t { kHeader, kEnvelope, kCode, kData, kDone, kFailed };

// Where the verified image goes (e.g. to flash). Plain callbacks (no virtual base) so host code
// built with RTTI can provide them too; every hook is optional.
struct ImageSink {
  void* context = nullptr;
  // Called once the metadata is authentic and allowed, before any code byte. An error refuses
  // the image: return CheckVersion()'s kRollback for a downgrade, anything else for other
  // admission failures (quota, no room).
  Status (*on_metadata)(void* context, const ContainerMetadata& metadata,
                        const TrustedKey& signer) = nullptr;
  // Consecutive pieces of the sections, as they arrive (not yet digest-checked).
  Status (*on_code)(void* context, uint32_t offset, std::span<const uint8_t> bytes) = nullptr;
  Status (*on_data)(void* context, uint32_t offset, std::span<const uint8_t> bytes) = nullptr;
};

struct ImageVerifyOptions {
  uint32_t max_code_size = UINT32_MAX;  // e.g. the free storage or a per-container quota
  uint32_t max_data_size = UINT32_MAX;
  bool check_expiry = false;  // the engine knows the time
  uint64_t now = 0;           // Unix seconds
};

class ImageVerifier {
 public:
  ImageVerifier(const TrustStore& trust, const ImageVerifyOptions& options,
                const ImageSink& sink = {});

  // Consumes the next chunk. The first error is final: later calls return it again.
  Status Feed(std::span<const uint8_t> chunk);
  // The image has ended: OK only if it was complete and valid (kTruncated otherwise).
  Status Finish();

  ImageStage stage() const { return stage_; }
  ImageProblem problem() const { return problem_; }
  const Status& status() const { return status_; }
  // Filled when problem() is kMetadata.
  const MetadataError& metadata_error() const { return metadata_error_; }
  // Valid from stage kCode on.
  const ContainerMetadata& metadata() const { return metadata_; }
  const TrustedKey* signer() const { return signer_; }
  // The image's first bytes, held by the verifier: valid from stage kCode on (a store that keeps
  // the whole image copies them before the sections stream past).
  std::span<const uint8_t> header() const { return {header_, kImageHeaderSize}; }
  std::span<const uint8_t> envelope() const { return {envelope_, envelope_size_}; }
  // Bytes consumed so far (= the image offset of the next byte).
  uint32_t offset() const { return offset_; }

 private:
  size_t TakeHeader(std::span<const uint8_t> chunk);
  size_t TakeEnvelope(std::span<const uint8_t> chunk);
  size_t TakeSection(std::span<const uint8_t> chunk);
  Status CheckHeader();
  Status CheckEnvelope();
  Status EnterSectionsAfterMetadata();
  Status Fail(ImageProblem problem, const Status& status);
  Status FailAt(ImageProblem problem, ErrorCode code, const char* message, uint32_t position);

  const TrustStore& trust_;
  ImageVerifyOptions options_;
  ImageSink sink_;
  ImageStage stage_ = ImageStage::kHeader;
  ImageProblem problem_ = ImageProblem::kNone;
  Status status_;
  MetadataError metadata_error_;
  uint32_t offset_ = 0;
  uint8_t header_[kImageHeaderSize] = {};
  uint16_t envelope_size_ = 0;
  uint16_t envelope_filled_ = 0;
  uint8_t envelope_[kMaxEnvelopeSize];
  ContainerMetadata metadata_;
  const TrustedKey* signer_ = nullptr;
  uint32_t section_left_ = 0;
  uint32_t section_offset_ = 0;
  crypto::Sha256 hash_;
};

// A signed config update: a tagged COSE_Sign1 / COSE_Mac0 with content type
// kContentTypeConfigUpdate whose payload is the config-update CBOR, signed by an operator key.
// Checks structure, key, algorithm, signature, payload and role; the engine then calls
// CheckSequence() with the last sequence applied to update->uid. `problem` (optional) uses the
// ImageProblem vocabulary (kEnvelope, kWrongContentType, kUnknownKey, kWrongAlgorithm,
// kBadSignature, kMetadata, kNotAuthorized).
Status VerifySignedConfigUpdate(std::span<const uint8_t> signed_update, const TrustStore& trust,
                                ConfigUpdate* update, const TrustedKey** signer = nullptr,
                                ImageProblem* problem = nullptr, MetadataError* error = nullptr);

}  // namespace tc::image
