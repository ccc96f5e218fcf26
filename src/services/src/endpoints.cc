// The endpoint router: one registration of open/read/write/close, dispatch by the handle token's
// tag (devices) or the declared peer kind (at open).
#include "tc/services/endpoints.h"

#include "service_util.h"

namespace tc::services {
namespace {

using engine::HostFunction;
using engine::Number;
using internal::Reply;
using runtime::HostReply;

constexpr bool IsDevice(uint32_t token) { return (token & kDeviceTokenTag) != 0; }
constexpr uint32_t DeviceToken(uint32_t token) { return token & ~kDeviceTokenTag; }

template <typename T>
HostReply ReplyFrom(const Result<T>& r) {
  if (!r.ok()) return Reply(DeviceGuestCode(r.status().code()));
  return Reply(static_cast<int64_t>(*r));
}

}  // namespace

Status Endpoints::Register(engine::Engine& engine) {
  engine::ServiceSpec open;
  open.fn = &Open;
  open.context = this;
  open.endpoint = engine::EndpointUse::kOpen;
  TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kOpen, open));

  engine::ServiceSpec read;
  read.fn = &Read;
  read.context = this;
  read.endpoint = engine::EndpointUse::kHandle;
  read.access = engine::kAccessRead;
  read.buffer_count = 1;
  read.buffers[0] = {1, 2};
  TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kRead, read));

  engine::ServiceSpec write = read;
  write.fn = &Write;
  write.access = engine::kAccessWrite;
  TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kWrite, write));

  engine::ServiceSpec close;
  close.fn = &Close;
  close.context = this;
  close.endpoint = engine::EndpointUse::kClose;
  TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kClose, close));

  TC_RETURN_IF_ERROR(
      engine.AddBinding({"tc", "open", "ii:i", kBpfHelperOpen, Number(HostFunction::kOpen)}));
  TC_RETURN_IF_ERROR(
      engine.AddBinding({"tc", "read", "iii:i", kBpfHelperRead, Number(HostFunction::kRead)}));
  TC_RETURN_IF_ERROR(
      engine.AddBinding({"tc", "write", "iii:i", kBpfHelperWrite, Number(HostFunction::kWrite)}));
  return engine.AddBinding({"tc", "close", "i:i", kBpfHelperClose, Number(HostFunction::kClose)});
}

HostReply Endpoints::Open(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<Endpoints*>(self_ptr);
  const image::EndpointPeer& peer = call.resolved->declared->peer;
  if (peer.kind == engine::PeerKind::kContainer) {
    if (self->channels_ == nullptr) return Reply(engine::kGuestUnknownService);
    return self->channels_->Open(call);
  }
  // The gate refuses remote peers, so this is a local device.
  if (self->devices_ == nullptr) return Reply(engine::kGuestUnknownService);
  const Result<uint32_t> token =
      self->devices_->Open(peer.device_class, peer.address, static_cast<uint8_t>(call.arg(1)));
  if (!token.ok()) return Reply(DeviceGuestCode(token.status().code()));
  if (*token > kMaxDeviceToken) {
    // A port bug: the tag bit would be lost. Refuse rather than alias another handle.
    self->devices_->Close(*token);
    return Reply(kGuestDeviceIo);
  }
  return Reply(static_cast<int64_t>(*token | kDeviceTokenTag));
}

HostReply Endpoints::Read(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<Endpoints*>(self_ptr);
  const uint32_t token = call.resolved->token;
  if (!IsDevice(token)) return self->channels_->Read(call);
  return ReplyFrom(self->devices_->Read(DeviceToken(token), call.resolved->buffers[0]));
}

HostReply Endpoints::Write(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<Endpoints*>(self_ptr);
  const uint32_t token = call.resolved->token;
  if (!IsDevice(token)) return self->channels_->Write(call);
  return ReplyFrom(self->devices_->Write(DeviceToken(token), call.resolved->buffers[0]));
}

HostReply Endpoints::Close(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<Endpoints*>(self_ptr);
  const uint32_t token = call.resolved->token;
  if (!IsDevice(token)) return self->channels_->Close(call);
  self->devices_->Close(DeviceToken(token));
  return Reply(0);
}

}  // namespace tc::services
