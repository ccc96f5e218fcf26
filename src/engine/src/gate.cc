// The gate (C6): every host call passes here, in this order — service known, service permitted
// (one bit test), endpoint declared and direction allowed (or handle valid), every buffer inside
// the caller's memory, quota left. A denial returns a negative code to the guest, is counted,
// audited and traced, and stops the container when its policy says so.
#include "tc/engine/engine.h"

namespace tc::engine {

runtime::HostReply Engine::OnHostCall(void* context, const runtime::HostCall& call) {
  Container& c = *static_cast<Container*>(context);
  ++c.counters.host_calls;
  const uint16_t service = call.service;
  if (service >= kMaxHostFunctions || services_[service].fn == nullptr) {
    return Deny(c, service, DenialReason::kUnknownService);
  }
  const ServiceSpec& spec = services_[service];
  if ((c.permissions.services & spec.permission) == 0) {
    return Deny(c, service, DenialReason::kServiceNotPermitted);
  }
  if (spec.checked) return CallChecked(c, call, spec);
  ServiceCall sc;
  sc.engine = this;
  sc.container = c.id;
  sc.host = &call;
  return spec.fn(spec.context, sc);
}

runtime::HostReply Engine::CallChecked(Container& c, const runtime::HostCall& call,
                                       const ServiceSpec& spec) {
  Resolved resolved;
  ServiceCall sc;
  sc.engine = this;
  sc.container = c.id;
  sc.host = &call;
  sc.resolved = &resolved;

  Handle* handle = nullptr;
  uint8_t access = 0;
  switch (spec.endpoint) {
    case EndpointUse::kNone: break;
    case EndpointUse::kOpen: {
      const EndpointRule* declared = c.permissions.Find(call.args[0]);
      const uint64_t mode = call.args[1];
      DenialReason refused = DenialReason::kEndpointNotDeclared;
      if (!MayUse(c, declared, mode, refused)) return Deny(c, call.service, refused);
      access = static_cast<uint8_t>(mode);
      size_t open = 0;
      for (Handle& h : c.handles) {
        if (h.open) {
          ++open;
        } else if (handle == nullptr) {
          handle = &h;
        }
      }
      if (open >= c.quotas.max_handles || handle == nullptr) {
        return Deny(c, call.service, DenialReason::kHandleQuota);
      }
      resolved.endpoint = declared->id;
      opening_ = ExpandEndpoint(*declared, names_);
      resolved.declared = &opening_;
      break;
    }
    case EndpointUse::kDirect: {
      const uint64_t ref = call.args[0];
      const EndpointRule* declared =
          (ref & ~uint64_t{0xFF}) == kEndpointRefTag ? c.permissions.Find(ref & 0xFF) : nullptr;
      DenialReason refused = DenialReason::kEndpointNotDeclared;
      if (!MayUse(c, declared, spec.access, refused)) return Deny(c, call.service, refused);
      resolved.endpoint = declared->id;
      opening_ = ExpandEndpoint(*declared, names_);
      resolved.declared = &opening_;
      break;
    }
    case EndpointUse::kHandle:
    case EndpointUse::kClose: {
      const uint64_t index = call.args[0];
      if (index >= kMaxHandles || !c.handles[index].open) {
        return Deny(c, call.service, DenialReason::kBadHandle);
      }
      handle = &c.handles[index];
      if (spec.endpoint == EndpointUse::kHandle && (handle->access & spec.access) != spec.access) {
        return Deny(c, call.service, DenialReason::kDirectionNotAllowed);
      }
      resolved.token = handle->token;
      resolved.endpoint = handle->endpoint;
      break;
    }
  }

  for (uint8_t i = 0; i < spec.buffer_count; ++i) {
    const BufferArg& arg = spec.buffers[i];
    const uint64_t length = arg.len_arg == kNoArg ? arg.fixed_len : call.args[arg.len_arg];
    const auto slice = call.memory.Resolve(call.args[arg.ptr_arg], length);
    if (!slice.ok) return Deny(c, call.service, DenialReason::kBufferOutOfBounds);
    resolved.buffers[i] = slice.bytes;
  }

  if (spec.quota == QuotaUse::kKvBytes) {
    const uint64_t length = call.args[spec.quota_len_arg];
    // Usage may exceed the quota (records kept from an earlier install): no unsigned wrap.
    if (c.kv_used > c.quotas.kv_bytes || length > c.quotas.kv_bytes - c.kv_used) {
      return Deny(c, call.service, DenialReason::kKvQuota);
    }
  }

  runtime::HostReply reply = spec.fn(spec.context, sc);
  // Remember what a blocking handle call waits on: a revocation must be able to end it.
  if (reply.action == runtime::HostAction::kBlock) {
    c.blocked_handle = spec.endpoint == EndpointUse::kHandle
                           ? static_cast<uint8_t>(handle - c.handles)
                           : kNoHandle;
  }
  if (spec.endpoint == EndpointUse::kOpen && reply.action == runtime::HostAction::kContinue &&
      reply.value >= 0) {
    handle->open = true;
    handle->endpoint = resolved.endpoint;
    handle->access = access;
    handle->token = static_cast<uint32_t>(reply.value);
    reply.value = handle - c.handles;
  } else if (spec.endpoint == EndpointUse::kClose) {
    *handle = Handle{};
  }
  return reply;
}

bool Engine::MayUse(const Container& c, const EndpointRule* declared, uint64_t access,
                    DenialReason& why) const {
  if (declared == nullptr) {
    why = DenialReason::kEndpointNotDeclared;
    return false;
  }
  // Device endpoints need the endpoint permission, channels to containers the channel one.
  const PeerKind kind = declared->kind();
  if (kind == PeerKind::kRemote ||
      (c.permissions.services & image::ServiceBit(EndpointPermission(kind))) == 0) {
    why = DenialReason::kServiceNotPermitted;
    return false;
  }
  if (access > kAccessReadWrite || !Allows(declared->direction(), static_cast<uint8_t>(access))) {
    why = DenialReason::kDirectionNotAllowed;
    return false;
  }
  return true;
}

runtime::HostReply Engine::Deny(Container& c, uint16_t service, DenialReason reason) {
  ++c.counters.denials;
  const uint64_t now = port_.NowUs();
  AuditEntry entry;
  entry.time_us = now;
  entry.container = c.id;
  entry.service = service;
  entry.reason = reason;
  audit_.PushOverwrite(entry);
  Trace(c, TraceKind::kDenial, static_cast<uint8_t>(reason), service, now);
  const int32_t code = GuestErrorFor(reason);
  if (c.permissions.on_violation == ViolationPolicy::kStop) {
    // Suspend the guest right here; the scheduler stops it when Run() returns.
    c.violation_stop = true;
    return {runtime::HostAction::kBlock, code};
  }
  return {runtime::HostAction::kContinue, code};
}

runtime::HostReply Engine::NowUsService(void* context, ServiceCall&) {
  auto* engine = static_cast<Engine*>(context);
  return {runtime::HostAction::kContinue, static_cast<int64_t>(engine->port_.NowUs())};
}

runtime::HostReply Engine::SleepUsService(void* context, ServiceCall& call) {
  auto* engine = static_cast<Engine*>(context);
  Container& c = engine->slots_[call.container & 0xFF];
  c.wait = WaitReason::kSleep;
  c.wake_us = engine->port_.NowUs() + call.arg(0);
  c.pending_result = 0;
  return {runtime::HostAction::kBlock, 0};
}

runtime::HostReply Engine::YieldService(void* context, ServiceCall& call) {
  return static_cast<Engine*>(context)->YieldCaller(call.container);
}

runtime::HostReply Engine::YieldCaller(uint32_t id) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return {runtime::HostAction::kContinue, kGuestInvalidArgument};
  // Give the rest of the slice to the next container of the same priority.
  c->wait = WaitReason::kYield;
  c->slice_used_us = UINT32_MAX;
  return {runtime::HostAction::kBlock, 0};
}

runtime::HostReply Engine::FinishCaller(uint32_t id, int64_t exit_code) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return {runtime::HostAction::kContinue, kGuestInvalidArgument};
  // Suspend the guest here; AfterRun sees the reason and stops the container.
  c->wait = WaitReason::kExit;
  c->exit_code = exit_code;
  return {runtime::HostAction::kBlock, 0};
}

}  // namespace tc::engine
