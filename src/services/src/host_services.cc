// Log, random and key-value services. The gate has already checked the permission bit and that
// every buffer lies inside the caller's memory (call.resolved->buffers); these functions only do
// the work and their own limits (rate, storage, exact kv quota).
#include "tc/services/host_services.h"

#include "service_util.h"

namespace tc::services {
namespace {

using internal::OwnerOf;
using internal::Reply;

using engine::HostFunction;
using engine::Number;
using runtime::HostAction;
using runtime::HostReply;

constexpr uint64_t kLine = 1000000;  // token units per log line

int32_t CodeFor(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kNotFound: return kGuestKvNotFound;
    case ErrorCode::kResourceExhausted: return kGuestKvStoreFull;
    case ErrorCode::kOutOfRange: return kGuestKvTooLarge;
    default: return kGuestIoError;
  }
}

// Bytes a record counts against the owner's kv quota.
int64_t Charge(size_t key_length, size_t value_length) {
  return static_cast<int64_t>(key_length + value_length);
}

engine::ServiceSpec Spec(runtime::HostReply (*fn)(void*, engine::ServiceCall&), void* self,
                         uint8_t buffer_count) {
  engine::ServiceSpec spec;
  spec.fn = fn;
  spec.context = self;
  spec.buffer_count = buffer_count;
  spec.buffers[0] = {0, 1};
  spec.buffers[1] = {2, 3};
  return spec;
}

}  // namespace

Status HostServices::Register(engine::Engine& engine) {
  if (ports_.log != nullptr) {
    TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kLog, Spec(&Log, this, 1)));
    TC_RETURN_IF_ERROR(
        engine.AddBinding({"tc", "log", "ii:i", kBpfHelperLog, Number(HostFunction::kLog)}));
  }
  // now_us, sleep_us and yield are built into the engine; bound here so containers can import them.
  TC_RETURN_IF_ERROR(
      engine.AddBinding({"tc", "now_us", ":I", kBpfHelperNowUs, Number(HostFunction::kNowUs)}));
  TC_RETURN_IF_ERROR(
      engine.AddBinding({"tc", "sleep_us", "I:i", -1, Number(HostFunction::kSleepUs)}));
  TC_RETURN_IF_ERROR(engine.AddBinding({"tc", "yield", ":i", -1, Number(HostFunction::kYield)}));
  if (ports_.entropy != nullptr) {
    TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kRandom, Spec(&Random, this, 1)));
    TC_RETURN_IF_ERROR(engine.AddBinding(
        {"tc", "random", "ii:i", kBpfHelperRandom, Number(HostFunction::kRandom)}));
  }
  if (ports_.kv != nullptr) {
    TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kKvGet, Spec(&KvGet, this, 2)));
    engine::ServiceSpec set = Spec(&KvSet, this, 2);
    set.quota = engine::QuotaUse::kKvBytes;  // the gate's quick check; KvSet charges exactly
    set.quota_len_arg = 3;
    TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kKvSet, set));
    TC_RETURN_IF_ERROR(engine.RegisterService(HostFunction::kKvDel, Spec(&KvDel, this, 1)));
    TC_RETURN_IF_ERROR(engine.AddBinding(
        {"tc", "kv_get", "iiii:i", kBpfHelperKvGet, Number(HostFunction::kKvGet)}));
    TC_RETURN_IF_ERROR(engine.AddBinding(
        {"tc", "kv_set", "iiii:i", kBpfHelperKvSet, Number(HostFunction::kKvSet)}));
    TC_RETURN_IF_ERROR(
        engine.AddBinding({"tc", "kv_del", "ii:i", kBpfHelperKvDel, Number(HostFunction::kKvDel)}));
    engine.SetKvUsageSource(&KvUsage, this);
  }
  return RegisterFemtoHelpers(engine);
}

uint32_t HostServices::log_dropped(uint32_t id) const {
  for (const Bucket& b : buckets_) {
    if (b.used && b.container == id) return b.dropped;
  }
  return 0;
}

Result<uint64_t> HostServices::KvUsage(void* self_ptr, std::string_view owner) {
  auto* self = static_cast<HostServices*>(self_ptr);
  TC_ASSIGN_OR_RETURN(const size_t bytes, self->ports_.kv->Usage(owner));
  return uint64_t{bytes};
}

HostServices::Bucket& HostServices::BucketFor(const engine::Engine& engine, uint32_t id,
                                              uint64_t now) {
  // Container ids carry their slot in the low byte (engine.cc), so this is the slot's bucket.
  Bucket& b = buckets_[(id & 0xFF) % engine::kMaxContainers];
  if (!b.used || b.container != id) {
    b = Bucket{};
    b.used = true;
    b.container = id;
    b.limit = limit_;
    // The rate is an install-time quota (a config update carries none), so reading it once is
    // enough for the container's lifetime.
    const engine::Container* c = engine.Find(id);
    if (c != nullptr && c->quotas.has_log_rate) {
      b.limit = {c->quotas.log_burst, c->quotas.log_lines_per_s};
    }
    b.tokens = uint64_t{b.limit.burst} * kLine;
    b.last_us = now;
    return b;
  }
  const uint64_t elapsed = now > b.last_us ? now - b.last_us : 0;
  const uint64_t cap = uint64_t{b.limit.burst} * kLine;
  // One line per second = one millionth of a line per microsecond. Elapsed is bounded to 1000 s
  // so the product cannot overflow for any 32-bit rate.
  const uint64_t bounded = elapsed < 1000000000ull ? elapsed : 1000000000ull;
  const uint64_t tokens = b.tokens + bounded * b.limit.lines_per_second;
  b.tokens = tokens < cap ? tokens : cap;
  b.last_us = now;
  return b;
}

bool HostServices::AdmitLine(engine::Engine& engine, uint32_t id) {
  Bucket& bucket = BucketFor(engine, id, engine.NowUs());
  if (bucket.tokens < kLine) {
    ++bucket.dropped;
    return false;
  }
  bucket.tokens -= kLine;
  return true;
}

HostReply HostServices::Log(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<HostServices*>(self_ptr);
  if (!self->AdmitLine(*call.engine, call.container)) return Reply(kGuestLogDropped);
  const std::span<uint8_t> text = call.resolved->buffers[0];
  self->ports_.log->Write(OwnerOf(call), text);
  return Reply(static_cast<int64_t>(text.size()));
}

HostReply HostServices::Random(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<HostServices*>(self_ptr);
  const std::span<uint8_t> out = call.resolved->buffers[0];
  if (!self->ports_.entropy->Fill(out).ok()) return Reply(kGuestIoError);
  return Reply(static_cast<int64_t>(out.size()));
}

HostReply HostServices::KvGet(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<HostServices*>(self_ptr);
  const auto length =
      self->ports_.kv->Get(OwnerOf(call), call.resolved->buffers[0], call.resolved->buffers[1]);
  if (!length.ok()) return Reply(CodeFor(length.status()));
  return Reply(static_cast<int64_t>(*length));
}

int64_t HostServices::Store(KvStorage& kv, engine::ServiceCall& call, std::span<const uint8_t> key,
                            std::span<const uint8_t> value) {
  const std::string_view owner = OwnerOf(call);
  if (key.empty()) return engine::kGuestInvalidArgument;
  const auto old = kv.Size(owner, key);
  if (!old.ok() && old.status().code() != ErrorCode::kNotFound) return kGuestIoError;
  const int64_t delta =
      Charge(key.size(), value.size()) - (old.ok() ? Charge(key.size(), *old) : 0);
  // Charge first: the quota decides before the storage changes.
  if (!call.engine->ChargeKv(call.container, delta).ok()) return engine::kGuestKvQuota;
  const Status stored = kv.Set(owner, key, value);
  if (!stored.ok()) {
    (void)call.engine->ChargeKv(call.container, -delta);
    return CodeFor(stored);
  }
  return 0;
}

HostReply HostServices::KvSet(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<HostServices*>(self_ptr);
  return Reply(Store(*self->ports_.kv, call, call.resolved->buffers[0], call.resolved->buffers[1]));
}

HostReply HostServices::KvDel(void* self_ptr, engine::ServiceCall& call) {
  auto* self = static_cast<HostServices*>(self_ptr);
  const std::string_view owner = OwnerOf(call);
  const std::span<const uint8_t> key = call.resolved->buffers[0];
  const auto old = self->ports_.kv->Size(owner, key);
  if (!old.ok()) return Reply(CodeFor(old.status()));
  const Status deleted = self->ports_.kv->Delete(owner, key);
  if (!deleted.ok()) return Reply(CodeFor(deleted));
  (void)call.engine->ChargeKv(call.container, -Charge(key.size(), *old));
  return Reply(0);
}

}  // namespace tc::services
