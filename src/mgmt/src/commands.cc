// POST /command and POST /config: signed operator requests, checked against the trust store and
// the persisted operator sequence before anything changes.
#include "records.h"
#include "reply.h"
#include "tc/engine/validate.h"
#include "tc/image/metadata_codec.h"
#include "tc/mgmt/management.h"

namespace tc::mgmt {

using internal::CodeForError;
using internal::CodeForProblem;
using internal::SendError;

namespace {

constexpr const char* kNotSigned = "not signed (a COSE_Sign1 or COSE_Mac0 is required)";

engine::Command EngineCommand(image::CommandAction action) {
  switch (action) {
    case image::CommandAction::kStart: return engine::Command::kStart;
    case image::CommandAction::kStop: return engine::Command::kStop;
    case image::CommandAction::kSuspend: return engine::Command::kSuspend;
    case image::CommandAction::kResume: return engine::Command::kResume;
    case image::CommandAction::kRemove: return engine::Command::kRemove;
  }
  return engine::Command::kStart;
}

size_t OpenHandles(const engine::Container& c) {
  size_t open = 0;
  for (const engine::Handle& h : c.handles) open += h.open ? 1 : 0;
  return open;
}

}  // namespace

void Management::PostCommand(void* self, const coap::Request& request, coap::Response& response) {
  static_cast<Management*>(self)->Command(request, response);
}

void Management::PostConfig(void* self, const coap::Request& request, coap::Response& response) {
  static_cast<Management*>(self)->Config(request, response);
}

bool Management::CollectBody(BodyOwner owner, const coap::Request& request,
                             coap::Response& response, std::span<const uint8_t>* body) {
  const char* what = owner == BodyOwner::kCommand ? "command" : "config";
  const std::span<const uint8_t> payload = request.message.payload;
  if (!request.has_block1) {
    if (payload.size() > kMaxSignedRequest) {
      SendError(response, coap::code::kRequestEntityTooLarge, what, "signed request too large");
      return false;
    }
    *body = payload;
    return true;
  }
  const size_t offset = request.block1.offset();
  SignedBody& b = signed_body_;
  if (offset == 0) {
    b.owner = owner;
    b.peer = request.peer;
    b.size = 0;
  } else if (b.owner != owner || b.peer != request.peer || b.size != offset) {
    SendError(response, coap::code::kRequestEntityIncomplete, what, "Block1 block out of order");
    return false;
  }
  if (payload.size() > sizeof b.bytes - b.size) {
    b.owner = BodyOwner::kNone;
    SendError(response, coap::code::kRequestEntityTooLarge, what, "signed request too large");
    return false;
  }
  for (size_t i = 0; i < payload.size(); ++i) b.bytes[b.size + i] = payload[i];
  b.size += payload.size();
  if (request.block1.more) {
    response.set_code(coap::code::kChanged);  // sent as 2.31 Continue
    return false;
  }
  b.owner = BodyOwner::kNone;
  *body = {b.bytes, b.size};
  return true;
}

Status Management::PersistSequence(uint64_t sequence) {
  uint8_t bytes[8];
  internal::EncodeSequence(sequence, bytes);
  TC_RETURN_IF_ERROR(store_.SaveRecord(internal::kSequenceRecord, bytes));
  sequence_ = sequence;
  return Status::Ok();
}

void Management::Command(const coap::Request& request, coap::Response& response) {
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  std::span<const uint8_t> body;
  if (!CollectBody(BodyOwner::kCommand, request, response, &body)) return;

  image::Command command;
  image::ImageProblem problem = image::ImageProblem::kNone;
  const Status verified = image::VerifySignedCommand(body, trust_, &command, nullptr, &problem);
  if (!verified.ok()) {
    if (problem == image::ImageProblem::kEnvelope && image::DecodeCommand(body, &command).ok()) {
      SendError(response, internal::kUnauthorized, "command", kNotSigned);
      return;
    }
    SendError(response, CodeForProblem(problem, verified), "command", verified);
    return;
  }
  if (command.sequence <= sequence_) {
    SendError(response, internal::kUnauthorized, "command",
              "sequence is not above the device's (replayed or stale)");
    return;
  }
  Entry* entry = FindEntry(command.uid.view());
  if (entry == nullptr) {
    SendError(response, coap::code::kNotFound, "command", "no container with this uid");
    return;
  }
  const engine::Container* c = engine_.Find(entry->id);
  const Status allowed = c == nullptr
                             ? Status(ErrorCode::kNotFound, "container is gone")
                             : engine::CheckCommand(EngineCommand(command.action), c->state);
  if (!allowed.ok()) {
    SendError(response, CodeForError(allowed), "command", allowed);
    return;
  }
  // The sequence is stored before the command acts: a power cut cannot make it replayable.
  Status status = PersistSequence(command.sequence);
  if (!status.ok()) {
    SendError(response, coap::code::kInternalServerError, "command: storing the sequence", status);
    return;
  }

  const uint32_t id = entry->id;
  switch (command.action) {
    case image::CommandAction::kStart:
      status = SetStarted(*entry, true);
      if (status.ok()) {
        status = engine_.Start(id);
        if (!status.ok()) (void)SetStarted(*entry, false);
      }
      break;
    case image::CommandAction::kStop:
      status = SetStarted(*entry, false);
      if (status.ok()) status = engine_.Stop(id);
      break;
    case image::CommandAction::kSuspend: status = engine_.Suspend(id); break;
    case image::CommandAction::kResume: status = engine_.Resume(id); break;
    case image::CommandAction::kRemove: {
      // The stored image goes first: if the store fails, the container is still there.
      const Status removed = store_.RemoveImage(command.uid.view());
      if (!removed.ok() && removed.code() != ErrorCode::kNotFound) {
        SendError(response, coap::code::kInternalServerError, "command: removing the image",
                  removed);
        return;
      }
      status = engine_.Remove(id);
      if (status.ok()) {
        ForgetRecords(command.uid.view());
        *entry = Entry{};
      }
      break;
    }
  }
  if (!status.ok()) {
    SendError(response, CodeForError(status), "command", status);
    return;
  }
  const engine::Container* after =
      command.action == image::CommandAction::kRemove ? nullptr : engine_.Find(id);
  // A graceful stop still running tc_stop is answered when it is over (PollAnswers).
  if (after != nullptr && after->state == engine::State::kStopping &&
      DeferStop(response, id, command.uid.view(), format == internal::Format::kJson)) {
    return;
  }
  internal::SendCommandAnswer(response, format, scratch_, command.uid.view(),
                              after != nullptr ? engine::ToString(after->state)
                                               : engine::ToString(engine::State::kRemoved));
}

void Management::Config(const coap::Request& request, coap::Response& response) {
  internal::Format format;
  if (!internal::Negotiate(request, response, &format)) return;
  std::span<const uint8_t> body;
  if (!CollectBody(BodyOwner::kConfig, request, response, &body)) return;

  image::ConfigUpdate update;
  image::ImageProblem problem = image::ImageProblem::kNone;
  image::MetadataError error;
  const Status verified =
      image::VerifySignedConfigUpdate(body, trust_, &update, nullptr, &problem, &error);
  if (!verified.ok()) {
    if (problem == image::ImageProblem::kEnvelope &&
        image::DecodeConfigUpdate(body, &update).ok()) {
      SendError(response, internal::kUnauthorized, "config", kNotSigned);
      return;
    }
    if (problem == image::ImageProblem::kMetadata) {
      char text[128];
      const size_t n = error.Describe(text);
      response.set_code(coap::code::kBadRequest);
      (void)response.Append("config: ");
      (void)response.Append(std::string_view(text, n));
      return;
    }
    SendError(response, CodeForProblem(problem, verified), "config", verified);
    return;
  }
  if (update.sequence <= sequence_) {
    SendError(response, internal::kUnauthorized, "config",
              "sequence is not above the device's (replayed or stale)");
    return;
  }
  Entry* entry = FindEntry(update.uid.view());
  const engine::Container* c = entry != nullptr ? engine_.Find(entry->id) : nullptr;
  if (c == nullptr) {
    SendError(response, coap::code::kNotFound, "config", "no container with this uid");
    return;
  }
  // Everything Engine::Configure checks is checked first, so the stored sequence is only
  // consumed by an update that applies.
  Status status = engine::CheckCommand(engine::Command::kConfigure, c->state);
  if (status.ok() && !update.has_schedule && !update.has_permissions) {
    status = Status(ErrorCode::kInvalidArgument, "config update changes nothing");
  }
  if (status.ok() && update.has_schedule) {
    status = engine::ValidateScheduleForEngine(update.schedule);
  }
  if (status.ok() && update.has_permissions)
    status = image::ValidatePermissions(update.permissions);
  if (!status.ok()) {
    SendError(response, CodeForError(status), "config", status);
    return;
  }
  status = PersistSequence(update.sequence);
  if (!status.ok()) {
    SendError(response, coap::code::kInternalServerError, "config: storing the sequence", status);
    return;
  }
  const size_t open_before = OpenHandles(*c);
  status = engine_.Configure(entry->id, update);
  if (!status.ok()) {
    SendError(response, CodeForError(status), "config", status);
    return;
  }
  const size_t closed = open_before - OpenHandles(*c);
  uint8_t version[4];
  for (int i = 0; i < 4; ++i) version[i] = static_cast<uint8_t>(entry->version >> (8 * i));
  Status saved =
      store_.SaveRecord(internal::ConfigVersionRecord(update.uid.view()).view(), version);
  if (saved.ok() && update.has_schedule) {
    saved = store_.SaveRecord(internal::ScheduleConfigRecord(update.uid.view()).view(), body);
  }
  if (saved.ok() && update.has_permissions) {
    saved = store_.SaveRecord(internal::PermissionsConfigRecord(update.uid.view()).view(), body);
  }
  if (!saved.ok()) Note("config: not persisted", update.uid.view(), saved);

  internal::Doc doc(scratch_);
  doc.Map(3);
  doc.Pair("uid", update.uid.view());
  doc.Pair("seq", update.sequence);
  doc.Pair("closed_handles", closed);
  internal::SendDocument(response, format, doc, coap::code::kChanged);
}

}  // namespace tc::mgmt
