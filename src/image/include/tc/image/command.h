// Signed operator commands (docs/management-api.md): start, stop, suspend, resume or remove one
// container, carried as the payload of a COSE_Sign1 / COSE_Mac0 whose protected header says
// content type kContentTypeCommand, signed by an operator key.
//
//   command = { 1: tstr,   ; uid
//               2: uint,   ; action: 0 start, 1 stop, 2 suspend, 3 resume, 4 remove
//               3: uint }  ; sequence
//
// Decoding is strict like the metadata codec: deterministic CBOR, keys in ascending order, every
// key present exactly once, nothing unknown, nothing after the map.
#pragma once

#include <cstdint>
#include <span>

#include "tc/base/status.h"
#include "tc/cbor/writer.h"
#include "tc/image/image_verifier.h"
#include "tc/image/metadata.h"
#include "tc/image/trust_store.h"

namespace tc::image {

inline constexpr uint64_t kContentTypeCommand = 65002;

enum class CommandAction : uint8_t {
  kStart = 0,
  kStop = 1,
  kSuspend = 2,
  kResume = 3,
  kRemove = 4,
};
inline constexpr uint8_t kCommandActionCount = 5;

struct Command {
  Uid uid;
  CommandAction action = CommandAction::kStart;
  uint64_t sequence = 0;  // compared with the device's operator sequence (strictly increasing)
  friend bool operator==(const Command&, const Command&) = default;
};

// "start", "stop", "suspend", "resume", "remove" ("?" for a value outside the enum).
const char* CommandActionName(CommandAction action);

// Errors (with the byte offset of the offending item):
//   kMalformed      not a map / not deterministic CBOR / keys out of order / bytes after the map
//   kAlreadyExists  a key twice
//   kUnsupported    a key other than 1, 2, 3
//   kNotFound       a key missing ("command has no uid" / "... no action" / "... no sequence")
//   kInvalid        a value of the wrong type, or a uid that breaks the uid rules
//   kOutOfRange     an action above 4
//   CBOR reader codes (kTruncated, ...) as they come.
// `out` is written only on success.
Status DecodeCommand(std::span<const uint8_t> in, Command* out);

// kInvalidArgument for an invalid uid or action; kResourceExhausted when `out` is full (nothing
// is then left written).
Status EncodeCommand(const Command& command, cbor::Writer* out);

// kPermissionDenied unless the signer is an operator key.
Status AuthorizeCommand(const TrustedKey& signer);

// Parses and verifies a signed command: COSE structure, content type kContentTypeCommand, known
// kid, algorithm, signature, payload, operator role. `problem` (optional) uses the ImageProblem
// vocabulary: kEnvelope, kWrongContentType, kUnknownKey, kWrongAlgorithm, kBadSignature,
// kMetadata (the payload is not a valid command), kNotAuthorized. The caller then checks the
// sequence. `*command` and `*signer` are written only on success.
Status VerifySignedCommand(std::span<const uint8_t> signed_command, const TrustStore& trust,
                           Command* command, const TrustedKey** signer = nullptr,
                           ImageProblem* problem = nullptr);

}  // namespace tc::image
