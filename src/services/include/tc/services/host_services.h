// The device-side host services behind the engine's gate: log (rate-limited per container),
// random and the per-container key-value store. Register() installs them in the engine together
// with their wasm imports (module "tc") and eBPF helper numbers, so both runtimes reach the same
// service through the same gate. Guest-visible arguments and codes: docs/services.md.
#pragma once

#include <cstdint>

#include "tc/engine/engine.h"
#include "tc/services/ports.h"

namespace tc::services {

// Service results beyond the gate's own codes (engine::GuestError).
enum ServiceError : int32_t {
  kGuestKvNotFound = -2,    // no such key (ENOENT)
  kGuestLogDropped = -11,   // rate limit: the line was dropped and counted (EAGAIN)
  kGuestKvStoreFull = -12,  // the port's storage has no room left (ENOMEM)
  kGuestKvTooLarge = -27,   // key or value longer than the storage supports (EFBIG)
  kGuestIoError = -5,       // the port's storage or entropy source failed (EIO)
};

// Token bucket per container: `burst` lines at once, refilled at `lines_per_second`. The
// metadata has no log-rate field yet, so every container gets the one given at construction.
struct LogLimit {
  uint32_t burst = 8;
  uint32_t lines_per_second = 10;
};

// eBPF helper numbers (Femto-Containers' where the signature matches; docs/services.md).
inline constexpr int32_t kBpfHelperLog = 0x01;  // Femto-Containers bpf_printf (fixed text only)
inline constexpr int32_t kBpfHelperNowUs = 0x21;
inline constexpr int32_t kBpfHelperKvGet = 0x31;
inline constexpr int32_t kBpfHelperKvSet = 0x32;
inline constexpr int32_t kBpfHelperKvDel = 0x33;
inline constexpr int32_t kBpfHelperRandom = 0x34;

struct ServicePorts {
  LogSink* log = nullptr;
  EntropySource* entropy = nullptr;
  KvStorage* kv = nullptr;
};

class HostServices {
 public:
  HostServices(const ServicePorts& ports, LogLimit limit = {}) : ports_(ports), limit_(limit) {}
  HostServices(const HostServices&) = delete;
  HostServices& operator=(const HostServices&) = delete;

  // Registers log, random and kv_get/kv_set/kv_del (those whose port is set) and their bindings.
  Status Register(engine::Engine& engine);

  // Lines dropped by the rate limit for the container `id` (0 for an unknown container).
  uint32_t log_dropped(uint32_t id) const;

 private:
  struct Bucket {
    uint32_t container = 0;  // the id this bucket belongs to; a new id in the slot resets it
    bool used = false;
    uint64_t tokens = 0;  // in millionths of a line: refill per microsecond is exact
    uint64_t last_us = 0;
    uint32_t dropped = 0;
  };

  Bucket& BucketFor(uint32_t id, uint64_t now);

  static runtime::HostReply Log(void* self, engine::ServiceCall& call);
  static runtime::HostReply Random(void* self, engine::ServiceCall& call);
  static runtime::HostReply KvGet(void* self, engine::ServiceCall& call);
  static runtime::HostReply KvSet(void* self, engine::ServiceCall& call);
  static runtime::HostReply KvDel(void* self, engine::ServiceCall& call);

  ServicePorts ports_;
  LogLimit limit_;
  Bucket buckets_[engine::kMaxContainers];
};

}  // namespace tc::services
