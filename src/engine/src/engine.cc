// Engine construction, service registration and the operator commands of the lifecycle
// (install, start, stop, suspend, resume, remove, configure).
#include "tc/engine/engine.h"

#include <cstring>

#include "tc/engine/validate.h"
#include "tc/image/metadata_codec.h"

namespace tc::engine {

namespace {

constexpr uint32_t kSlotBits = 8;
constexpr uint32_t kSlotMask = (1u << kSlotBits) - 1;
static_assert(kMaxContainers <= kSlotMask, "slot index must fit in the id's low byte");
#if defined(__arm__)
// The per-container RAM budget on 32-bit MCUs (docs/engine.md, "Per-container RAM").
static_assert(sizeof(Container) <= 512, "a container slot must stay within 512 bytes of RAM");
#endif

}  // namespace

Engine::Engine(EnginePort& port, const runtime::RuntimeRegistry& runtimes, std::span<uint8_t> pool,
               EngineConfig config)
    : port_(port), runtimes_(runtimes), config_(config) {
  // Regions start 16-byte aligned: runtimes place their instance objects at the start.
  const size_t skew = (16 - reinterpret_cast<uintptr_t>(pool.data()) % 16) % 16;
  const std::span<uint8_t> aligned = skew < pool.size() ? pool.subspan(skew) : pool.first(0);
  const size_t region_size = (aligned.size() / kMaxContainers) & ~size_t{15};
  for (size_t i = 0; i < kMaxContainers; ++i) {
    slots_[i].region = aligned.subspan(i * region_size, region_size);
  }
  ServiceSpec builtin;
  builtin.context = this;
  builtin.fn = &Engine::NowUsService;
  (void)RegisterService(HostFunction::kNowUs, builtin);
  builtin.fn = &Engine::SleepUsService;
  (void)RegisterService(HostFunction::kSleepUs, builtin);
  builtin.fn = &Engine::YieldService;
  (void)RegisterService(HostFunction::kYield, builtin);
}

Status Engine::RegisterService(HostFunction function, const ServiceSpec& spec) {
  const uint16_t index = Number(function);
  if (index >= kMaxHostFunctions) {
    return Status(ErrorCode::kOutOfRange, "host function number too large");
  }
  if (spec.fn == nullptr) return Status(ErrorCode::kInvalidArgument, "service has no function");
  if (spec.buffer_count > 2) {
    return Status(ErrorCode::kInvalidArgument, "a service checks at most two buffers");
  }
  for (uint8_t i = 0; i < spec.buffer_count; ++i) {
    const BufferArg& arg = spec.buffers[i];
    if (arg.ptr_arg >= runtime::kMaxHostArgs ||
        (arg.len_arg != kNoArg && arg.len_arg >= runtime::kMaxHostArgs)) {
      return Status(ErrorCode::kInvalidArgument, "buffer argument index out of range");
    }
  }
  if (spec.quota != QuotaUse::kNone && spec.quota_len_arg >= runtime::kMaxHostArgs) {
    return Status(ErrorCode::kInvalidArgument, "quota length argument index out of range");
  }
  services_[index] = spec;
  if (spec.permission == 0) services_[index].permission = DefaultPermission(function);
  services_[index].checked = spec.endpoint != EndpointUse::kNone || spec.buffer_count != 0 ||
                             spec.quota != QuotaUse::kNone;
  return Status::Ok();
}

Status Engine::AddBinding(const runtime::HostBinding& binding) {
  if (binding_count_ == kMaxBindings) {
    return Status(ErrorCode::kResourceExhausted, "host binding table is full");
  }
  if (binding.service >= kMaxHostFunctions) {
    return Status(ErrorCode::kOutOfRange, "binding names a service number that is too large");
  }
  bindings_[binding_count_++] = binding;
  return Status::Ok();
}

Container* Engine::Lookup(uint32_t id, Status* error) {
  const uint32_t slot = id & kSlotMask;
  if (slot >= kMaxContainers) {
    *error = Status(ErrorCode::kNotFound, "no such container (slot out of range)");
    return nullptr;
  }
  Container& c = slots_[slot];
  if (c.state == State::kEmpty || c.id != id) {
    *error = Status(ErrorCode::kNotFound, "no such container (stale or never installed id)");
    return nullptr;
  }
  return &c;
}

const Container* Engine::Find(uint32_t id) const {
  const uint32_t slot = id & kSlotMask;
  if (slot >= kMaxContainers) return nullptr;
  const Container& c = slots_[slot];
  return (c.state == State::kEmpty || c.id != id) ? nullptr : &c;
}

size_t Engine::MemoryInUse(uint32_t id) const {
  const Container* c = Find(id);
  return (c != nullptr && c->instance != nullptr) ? c->instance->MemoryInUse() : 0;
}

Status Engine::Instantiate(Container& c) {
  runtime::InstanceSpec spec;
  spec.code = c.code;
  spec.data = c.data;
  spec.limits.memory_bytes = c.quotas.memory_limit;
  spec.limits.stack_bytes = c.quotas.stack_bytes;
  spec.limits.start_fuel = config_.start_fuel;
  spec.bindings = {bindings_, binding_count_};
  spec.host = this;
  spec.host_context = &c;
  for (size_t e = 0; e < runtime::kEntryCount; ++e)
    spec.entry_names[e] = names_.View(c.entry_names[e]);
  auto instance = c.runtime->Instantiate(spec, c.region);
  if (!instance.ok()) {
    std::memset(c.region.data(), 0, c.region.size());
    return instance.status();
  }
  c.instance = *instance;
  return Status::Ok();
}

void Engine::WipeInstance(Container& c) {
  if (c.instance != nullptr) c.instance->Wipe();
  c.instance = nullptr;
  // The runtime wipes what it knows about; the engine makes sure nothing of the tenant is left.
  std::memset(c.region.data(), 0, c.region.size());
}

Result<uint32_t> Engine::Install(const InstallRequest& request) {
  if (request.metadata == nullptr) {
    return Status(ErrorCode::kInvalidArgument, "install request without metadata");
  }
  const image::ContainerMetadata& m = *request.metadata;
  TC_RETURN_IF_ERROR(ValidateForEngine(m));
  runtime::Runtime* rt = runtimes_.Find(static_cast<uint8_t>(m.runtime));
  if (rt == nullptr) {
    return Status(ErrorCode::kUnsupported, "no runtime registered for this runtime type");
  }
  Container* slot = nullptr;
  for (Container& c : slots_) {
    const bool live = c.state != State::kEmpty && c.state != State::kRemoved;
    if (live && c.uid == m.uid) {
      return Status(ErrorCode::kAlreadyExists, "a container with this uid is installed");
    }
    if (!live && slot == nullptr) slot = &c;
  }
  if (slot == nullptr) return Status(ErrorCode::kResourceExhausted, "container table is full");

  Container& c = *slot;
  const std::span<uint8_t> region = c.region;
  const uint8_t generation = static_cast<uint8_t>(c.generation + 1);
  const State previous = c.state;
  const uint32_t previous_id = c.id;
  c = Container{};
  c.region = region;
  c.runtime = rt;
  c.code = request.code;
  c.data = request.data;
  c.quotas = m.quotas;
  // Interned now, assigned on success: a start function running inside Instantiate() is judged
  // by an empty policy, as before install completes.
  CompactPermissions permissions;
  Status status = InternEntryNames(m.entry, names_, c.entry_names);
  if (status.ok()) status = CompactPermissionsOf(m.permissions, names_, &permissions);
  const bool interned = status.ok();
  if (status.ok()) status = Instantiate(c);
  if (status.ok() && !c.instance->HasEntry(runtime::Entry::kLoop) &&
      !c.instance->HasEntry(runtime::Entry::kStart)) {
    WipeInstance(c);
    status = Status(ErrorCode::kInvalid, "container exports neither tc_loop nor _start");
  }
  uint64_t kv_in_use = 0;
  if (status.ok() && kv_usage_fn_ != nullptr) {
    // Records of an earlier install under this uid still count against its quota.
    const Result<uint64_t> usage = kv_usage_fn_(kv_usage_context_, m.uid.view());
    if (usage.ok()) {
      kv_in_use = *usage;
    } else {
      WipeInstance(c);
      status = usage.status();
    }
  }
  if (!status.ok()) {
    // Leave the slot as it was: a rejected install changes nothing.
    if (interned) ReleaseNames(permissions, names_);
    ReleaseEntryNames(c.entry_names, names_);
    c = Container{};
    c.region = region;
    c.state = previous;
    c.generation = static_cast<uint8_t>(generation - 1);
    c.id = previous_id;
    return status;
  }
  c.generation = generation;
  c.id = (uint32_t{generation} << kSlotBits) | static_cast<uint32_t>(slot - slots_);
  c.uid = m.uid;
  c.schedule = m.schedule;
  c.permissions = permissions;
  c.kv_used = kv_in_use > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(kv_in_use);
  SetState(c, State::kInstalled);
  return c.id;
}

Status Engine::Start(uint32_t id) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  TC_RETURN_IF_ERROR(CheckCommand(Command::kStart, c->state));
  if (c->state != State::kInstalled) {
    // A fresh instance: nothing of the previous run survives a restart.
    WipeInstance(*c);
    TC_RETURN_IF_ERROR(Instantiate(*c));
  }
  c->restarts_since_start = 0;
  return StartFresh(*c, port_.NowUs());
}

Status Engine::StartFresh(Container& c, uint64_t now) {
  c.activation = false;
  c.resume_pending = false;
  c.wait = WaitReason::kNone;
  c.budget_used_us = 0;
  c.slice_used_us = 0;
  c.deadline_us = kNever;
  c.trap = runtime::TrapReason::kNone;
  c.exit_code = 0;
  if (c.instance->HasEntry(runtime::Entry::kInit)) {
    TC_RETURN_IF_ERROR(BeginEntry(c, runtime::Entry::kInit));
    SetState(c, State::kReady);
    return Status::Ok();
  }
  if (c.instance->HasEntry(runtime::Entry::kLoop)) {
    Release(c, now);
    return Status::Ok();
  }
  TC_RETURN_IF_ERROR(BeginEntry(c, runtime::Entry::kStart));
  SetState(c, State::kReady);
  return Status::Ok();
}

Status Engine::Stop(uint32_t id) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  TC_RETURN_IF_ERROR(CheckCommand(Command::kStop, c->state));
  if (!c->instance->HasEntry(runtime::Entry::kStop)) {
    ToStopped(*c);
    return Status::Ok();
  }
  if (c->activation) c->instance->Abort();
  c->activation = false;
  if (!BeginEntry(*c, runtime::Entry::kStop).ok()) {
    ToStopped(*c);
    return Status::Ok();
  }
  c->stop_by_us = port_.NowUs() + config_.stop_timeout_us;
  SetState(*c, State::kStopping);
  return Status::Ok();
}

Status Engine::Suspend(uint32_t id) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  TC_RETURN_IF_ERROR(CheckCommand(Command::kSuspend, c->state));
  c->suspended_from = c->state == State::kRunning ? State::kReady : c->state;
  SetState(*c, State::kSuspended);
  return Status::Ok();
}

Status Engine::Resume(uint32_t id) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  TC_RETURN_IF_ERROR(CheckCommand(Command::kResume, c->state));
  SetState(*c, c->suspended_from);
  // Releases missed while suspended are not owed: the next one happens now. Other expired timers
  // (sleep_us) are handled by the next Step().
  const bool waits_for_release =
      (c->state == State::kSleeping && c->wait == WaitReason::kRelease) ||
      c->state == State::kThrottled;
  const uint64_t now = port_.NowUs();
  if (waits_for_release && c->wake_us < now) c->wake_us = now;
  return Status::Ok();
}

Status Engine::Remove(uint32_t id) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  TC_RETURN_IF_ERROR(CheckCommand(Command::kRemove, c->state));
  ReleaseHandles(*c, nullptr);
  WipeInstance(*c);
  ReleaseEntryNames(c->entry_names, names_);
  ReleaseNames(c->permissions, names_);
  c->permissions = CompactPermissions{};
  c->kv_used = 0;
  c->activation = false;
  SetState(*c, State::kRemoved);
  return Status::Ok();
}

Status Engine::ForceStop(uint32_t id) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  if (c->state != State::kStopping) TC_RETURN_IF_ERROR(CheckCommand(Command::kStop, c->state));
  ToStopped(*c);
  return Status::Ok();
}

void Engine::ToStopped(Container& c) {
  if (c.activation && c.instance != nullptr) c.instance->Abort();
  c.activation = false;
  c.resume_pending = false;
  c.wait = WaitReason::kNone;
  c.stop_by_us = kNever;
  ReleaseHandles(c, nullptr);
  SetState(c, State::kStopped);
}

Status Engine::BeginEntry(Container& c, runtime::Entry entry) {
  TC_RETURN_IF_ERROR(c.instance->Begin(entry));
  c.activation = true;
  c.entry = entry;
  c.resume_pending = false;
  return Status::Ok();
}

void Engine::SetState(Container& c, State state) {
  c.state = state;
  // Running <-> ready flips every quantum; the run events already show them.
  if (state == State::kRunning || state == c.traced_state) return;
  c.traced_state = state;
  Trace(c, TraceKind::kState, static_cast<uint8_t>(state), 0, port_.NowUs());
}

void Engine::Trace(const Container& c, TraceKind kind, uint8_t aux, uint32_t value, uint64_t time) {
  TraceEvent event;
  event.time_us = time;
  event.value = value;
  event.slot = static_cast<uint8_t>(c.id & kSlotMask);
  event.kind = kind;
  event.aux = aux;
  trace_.PushOverwrite(event);
}

// A handle survives a permission change only when its endpoint is still declared with the same
// peer, a direction covering the handle's access, and the permission bit of the peer's kind.
// Peer uids are interned, so equal uids have equal name indices.
static bool StillPermitted(const Handle& h, const CompactPermissions& before,
                           const CompactPermissions& after) {
  const EndpointRule* was = before.Find(h.endpoint);
  const EndpointRule* now = after.Find(h.endpoint);
  return was != nullptr && now != nullptr && was->kind() == now->kind() &&
         was->address == now->address && was->detail == now->detail &&
         was->peer_uid == now->peer_uid && Allows(now->direction(), h.access) &&
         (after.services & image::ServiceBit(EndpointPermission(now->kind()))) != 0;
}

void Engine::ReleaseHandles(Container& c, const CompactPermissions* next) {
  const ServiceSpec& close = services_[Number(HostFunction::kClose)];
  for (size_t i = 0; i < kMaxHandles; ++i) {
    Handle& h = c.handles[i];
    if (!h.open) continue;
    if (next != nullptr && StillPermitted(h, c.permissions, *next)) continue;
    if (close.fn != nullptr) {
      // The backend releases its side; the guest sees kGuestBadHandle from now on.
      runtime::HostCall host;
      host.service = Number(HostFunction::kClose);
      host.arg_count = 1;
      host.args[0] = i;
      Resolved resolved;
      resolved.token = h.token;
      resolved.endpoint = h.endpoint;
      ServiceCall call;
      call.engine = this;
      call.container = c.id;
      call.host = &host;
      call.resolved = &resolved;
      (void)close.fn(close.context, call);
    }
    h = Handle{};
    // A call blocked on the handle (a channel read) ends now instead of waiting forever.
    if (next != nullptr && c.blocked_handle == i && c.wait == WaitReason::kEvent) {
      (void)CompleteBlockedCall(c.id, kGuestBadHandle);
    }
  }
}

Status Engine::Configure(uint32_t id, const ConfigUpdate& update) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  TC_RETURN_IF_ERROR(CheckCommand(Command::kConfigure, c->state));
  if (!(update.uid == c->uid)) {
    return Status(ErrorCode::kInvalidArgument, "config update names another container's uid");
  }
  if (update.sequence <= c->config_sequence) {
    return Status(ErrorCode::kRollback,
                  "config update sequence is not newer than the applied one (replay)");
  }
  if (!update.has_schedule && !update.has_permissions) {
    return Status(ErrorCode::kInvalidArgument, "config update changes nothing");
  }
  if (update.has_schedule) TC_RETURN_IF_ERROR(ValidateScheduleForEngine(update.schedule));
  CompactPermissions permissions;
  if (update.has_permissions) {
    TC_RETURN_IF_ERROR(image::ValidatePermissions(update.permissions));
    TC_RETURN_IF_ERROR(CompactPermissionsOf(update.permissions, names_, &permissions));
  }

  // Everything is checked; from here on the update cannot fail, so it applies all or nothing.
  c->config_sequence = update.sequence;
  if (update.has_permissions) {
    ReleaseHandles(*c, &permissions);
    ReleaseNames(c->permissions, names_);
    c->permissions = permissions;
  }
  if (update.has_schedule) ApplySchedule(*c, update.schedule, port_.NowUs());
  return Status::Ok();
}

void Engine::ApplySchedule(Container& c, const Schedule& schedule, uint64_t now) {
  c.schedule = schedule;
  const State effective = c.state == State::kSuspended ? c.suspended_from : c.state;
  const bool waits_for_release =
      (effective == State::kSleeping && c.wait == WaitReason::kRelease) ||
      effective == State::kThrottled;
  // The current period keeps its start; its end, deadline and budget follow the new values.
  const uint64_t relative = RelativeDeadline(schedule);
  if (c.activation && c.entry == runtime::Entry::kLoop) {
    c.deadline_us = relative == kNever ? kNever : c.release_us + relative;
  }
  if (schedule.period_us == 0) {
    if (waits_for_release) c.wake_us = now;
    return;
  }
  if (waits_for_release) {
    const uint64_t next = c.release_us + schedule.period_us;
    c.wake_us = next < now ? now : next;
  }
  // A larger budget lets a throttled container continue in this period.
  if (effective == State::kThrottled &&
      (schedule.budget_us == 0 || c.budget_used_us < schedule.budget_us)) {
    if (c.state == State::kSuspended) {
      c.suspended_from = State::kReady;
    } else {
      SetState(c, State::kReady);
    }
  }
}

Status Engine::ChargeKv(uint32_t id, int64_t delta_bytes) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  const int64_t used = static_cast<int64_t>(c->kv_used) + delta_bytes;
  if (used < 0) return Status(ErrorCode::kInvalidArgument, "kv usage would become negative");
  if (delta_bytes > 0 && used > static_cast<int64_t>(c->quotas.kv_bytes)) {
    return Status(ErrorCode::kResourceExhausted, "kv quota exceeded");
  }
  c->kv_used = static_cast<uint32_t>(used);
  return Status::Ok();
}

Status Engine::CompleteBlockedCall(uint32_t id, int64_t result) {
  Status error;
  Container* c = Lookup(id, &error);
  if (c == nullptr) return error;
  const bool blocked = c->state == State::kBlocked ||
                       (c->state == State::kSuspended && c->suspended_from == State::kBlocked);
  if (!blocked) {
    return Status(ErrorCode::kFailedPrecondition, "container is not blocked in a host call");
  }
  c->pending_result = result;
  c->wait = WaitReason::kNone;
  c->blocked_handle = kNoHandle;
  if (c->state == State::kSuspended) {
    c->suspended_from = State::kReady;
  } else {
    SetState(*c, State::kReady);
  }
  return Status::Ok();
}

}  // namespace tc::engine
