// The signed command codec and its verification (tc/image/command.h).
#include "tc/image/command.h"

#include "envelope.h"
#include "tc/cbor/reader.h"
#include "tc/image/metadata_codec.h"

namespace tc::image {

namespace {

constexpr uint64_t kKeyUid = 1;
constexpr uint64_t kKeyAction = 2;
constexpr uint64_t kKeySequence = 3;

uint32_t At(size_t position) { return static_cast<uint32_t>(position); }

// A reader error on a value: a wrong type is the field's problem, anything else is bad CBOR.
Status ValueError(const Status& status, const char* wrong_type, size_t position) {
  if (status.code() == ErrorCode::kMalformed || status.code() == ErrorCode::kTruncated ||
      status.code() == ErrorCode::kUnsupported || status.code() == ErrorCode::kResourceExhausted) {
    return status;
  }
  return Status(ErrorCode::kInvalid, wrong_type, At(position));
}

}  // namespace

const char* CommandActionName(CommandAction action) {
  switch (action) {
    case CommandAction::kStart: return "start";
    case CommandAction::kStop: return "stop";
    case CommandAction::kSuspend: return "suspend";
    case CommandAction::kResume: return "resume";
    case CommandAction::kRemove: return "remove";
  }
  return "?";
}

Status DecodeCommand(std::span<const uint8_t> in, Command* out) {
  cbor::ReaderOptions options;
  options.max_depth = 1;
  options.deterministic = true;
  options.validate_utf8 = true;
  cbor::Reader r(in, options);
  Result<uint64_t> pairs = r.ReadMapHeader();
  if (!pairs.ok()) {
    if (pairs.status().code() == ErrorCode::kInvalid) {
      return Status(ErrorCode::kMalformed, "command is not a CBOR map", 0);
    }
    return pairs.status();
  }
  Command command;
  bool seen[4] = {};
  uint64_t previous_key = 0;
  for (uint64_t i = 0; i < *pairs; ++i) {
    const size_t key_at = r.position();
    Result<uint64_t> key = r.ReadUint();
    if (!key.ok())
      return ValueError(key.status(), "command map key is not an unsigned integer", key_at);
    if (*key < kKeyUid || *key > kKeySequence) {
      return Status(ErrorCode::kUnsupported, "command has an unknown key", At(key_at));
    }
    if (seen[*key])
      return Status(ErrorCode::kAlreadyExists, "command key appears twice", At(key_at));
    if (i > 0 && *key < previous_key) {
      return Status(ErrorCode::kMalformed, "command keys not in ascending order", At(key_at));
    }
    seen[*key] = true;
    previous_key = *key;
    const size_t value_at = r.position();
    if (*key == kKeyUid) {
      Result<std::string_view> uid = r.ReadText();
      if (!uid.ok()) return ValueError(uid.status(), "command uid is not a text string", value_at);
      if (!IsValidUid(*uid)) {
        return Status(ErrorCode::kInvalid, "command uid breaks the uid rules", At(value_at));
      }
      (void)command.uid.Assign(*uid);
    } else if (*key == kKeyAction) {
      Result<uint64_t> action = r.ReadUint();
      if (!action.ok()) {
        return ValueError(action.status(), "command action is not an unsigned integer", value_at);
      }
      if (*action >= kCommandActionCount) {
        return Status(ErrorCode::kOutOfRange, "command action is not 0..4", At(value_at));
      }
      command.action = static_cast<CommandAction>(*action);
    } else {
      Result<uint64_t> sequence = r.ReadUint();
      if (!sequence.ok()) {
        return ValueError(sequence.status(), "command sequence is not an unsigned integer",
                          value_at);
      }
      command.sequence = *sequence;
    }
  }
  if (!seen[kKeyUid]) return Status(ErrorCode::kNotFound, "command has no uid", 0);
  if (!seen[kKeyAction]) return Status(ErrorCode::kNotFound, "command has no action", 0);
  if (!seen[kKeySequence]) return Status(ErrorCode::kNotFound, "command has no sequence", 0);
  if (!r.AtEnd()) {
    return Status(ErrorCode::kMalformed, "bytes after the command map", At(r.position()));
  }
  *out = command;
  return Status::Ok();
}

Status EncodeCommand(const Command& command, cbor::Writer* out) {
  if (!IsValidUid(command.uid.view())) {
    return Status(ErrorCode::kInvalidArgument, "command uid breaks the uid rules");
  }
  if (static_cast<uint8_t>(command.action) >= kCommandActionCount) {
    return Status(ErrorCode::kInvalidArgument, "command action is not 0..4");
  }
  const size_t start = out->size();
  Status status = out->WriteMapHeader(3);
  if (status.ok()) status = out->WriteUint(kKeyUid);
  if (status.ok()) status = out->WriteText(command.uid.view());
  if (status.ok()) status = out->WriteUint(kKeyAction);
  if (status.ok()) status = out->WriteUint(static_cast<uint8_t>(command.action));
  if (status.ok()) status = out->WriteUint(kKeySequence);
  if (status.ok()) status = out->WriteUint(command.sequence);
  if (!status.ok()) out->Rewind(start);
  return status;
}

Status AuthorizeCommand(const TrustedKey& signer) {
  if (signer.role != KeyRole::kOperator) {
    return Status(ErrorCode::kPermissionDenied, "commands must be signed by an operator key");
  }
  return Status::Ok();
}

Status VerifySignedCommand(std::span<const uint8_t> signed_command, const TrustStore& trust,
                           Command* command, const TrustedKey** signer, ImageProblem* problem) {
  ImageProblem local_problem = ImageProblem::kNone;
  ImageProblem* p = problem != nullptr ? problem : &local_problem;
  *p = ImageProblem::kNone;
  CoseMessage message;
  const TrustedKey* key = nullptr;
  TC_RETURN_IF_ERROR(
      internal::VerifyEnvelope(signed_command, trust, kContentTypeCommand, &message, &key, p));
  Command decoded;
  const Status status = DecodeCommand(message.payload, &decoded);
  if (!status.ok()) {
    *p = ImageProblem::kMetadata;
    const size_t payload_at = static_cast<size_t>(message.payload.data() - signed_command.data());
    return Status(status.code(), status.message(),
                  At(payload_at + (status.has_position() ? status.position() : 0)));
  }
  const Status allowed = AuthorizeCommand(*key);
  if (!allowed.ok()) {
    *p = ImageProblem::kNotAuthorized;
    return allowed;
  }
  *command = decoded;
  if (signer != nullptr) *signer = key;
  return Status::Ok();
}

}  // namespace tc::image
