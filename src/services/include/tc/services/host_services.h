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

// Token bucket per container: `burst` lines at once, refilled at `lines_per_second`. A container
// whose metadata has quotas.log_lines_per_s/log_burst gets those; the others get the default given
// at construction.
struct LogLimit {
  uint32_t burst = 8;
  uint32_t lines_per_second = 10;
};

// eBPF helper numbers; sdk/include/tinycontainer.h declares the same (a test compares them).
// Femto-Containers' numbers where the service matches (docs/services.md has the table).
inline constexpr int32_t kBpfHelperPrintf = 0x01;      // Femto bpf_printf(fmt, ...): femto_printf.h
inline constexpr int32_t kBpfHelperMemcpy = 0x02;      // Femto bpf_memcpy
inline constexpr int32_t kBpfHelperStoreLocal = 0x10;  // Femto bpf_store_local(u32, u32)
inline constexpr int32_t kBpfHelperFetchLocal = 0x12;  // Femto bpf_fetch_local(u32, u32*)
inline constexpr int32_t kBpfHelperNowMs = 0x20;       // Femto bpf_now_ms
inline constexpr int32_t kBpfHelperNowUs = 0x21;
inline constexpr int32_t kBpfHelperLog = 0x22;  // log(text, length), as the wasm import
inline constexpr int32_t kBpfHelperKvGet = 0x24;
inline constexpr int32_t kBpfHelperKvSet = 0x25;
inline constexpr int32_t kBpfHelperKvDel = 0x26;
inline constexpr int32_t kBpfHelperRandom = 0x27;

// Host function numbers of the Femto-Containers-compatible helpers (their signatures differ from
// the tc services they share the log, storage and time with), after the WASI subset (13..24).
inline constexpr uint16_t kFemtoPrintf = 25;
inline constexpr uint16_t kFemtoMemcpy = 28;
inline constexpr uint16_t kFemtoStoreLocal = 29;
inline constexpr uint16_t kFemtoFetchLocal = 30;
inline constexpr uint16_t kFemtoNowMs = 31;

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

  // Registers log, random and kv_get/kv_set/kv_del (those whose port is set), the
  // Femto-Containers-compatible eBPF helpers, and the bindings of these and of the engine's
  // built-in now_us/sleep_us/yield.
  Status Register(engine::Engine& engine);

  // Lines dropped by the rate limit for the container `id` (0 for an unknown container).
  uint32_t log_dropped(uint32_t id) const;

  // The log path other services share (WASI fd_write on stdout/stderr): takes one line from the
  // container's bucket; false when the rate limit drops it (counted in log_dropped).
  bool AdmitLine(engine::Engine& engine, uint32_t id);
  const ServicePorts& ports() const { return ports_; }

 private:
  struct Bucket {
    uint32_t container = 0;  // the id this bucket belongs to; a new id in the slot resets it
    bool used = false;
    LogLimit limit;       // the container's own rate (or the default), read when the bucket starts
    uint64_t tokens = 0;  // in millionths of a line: refill per microsecond is exact
    uint64_t last_us = 0;
    uint32_t dropped = 0;
  };

  Bucket& BucketFor(const engine::Engine& engine, uint32_t id, uint64_t now);
  static Result<uint64_t> KvUsage(void* self, std::string_view owner);

  static runtime::HostReply Log(void* self, engine::ServiceCall& call);
  static runtime::HostReply Random(void* self, engine::ServiceCall& call);
  static runtime::HostReply KvGet(void* self, engine::ServiceCall& call);
  static runtime::HostReply KvSet(void* self, engine::ServiceCall& call);
  static runtime::HostReply KvDel(void* self, engine::ServiceCall& call);
  static runtime::HostReply FemtoPrintf(void* self, engine::ServiceCall& call);
  static runtime::HostReply Memcpy(void* self, engine::ServiceCall& call);
  static runtime::HostReply StoreLocal(void* self, engine::ServiceCall& call);
  static runtime::HostReply FetchLocal(void* self, engine::ServiceCall& call);
  static runtime::HostReply NowMs(void* self, engine::ServiceCall& call);
  Status RegisterFemtoHelpers(engine::Engine& engine);
  // Creates or replaces a record of the caller, charging the exact byte change to its kv quota.
  static int64_t Store(KvStorage& kv, engine::ServiceCall& call, std::span<const uint8_t> key,
                       std::span<const uint8_t> value);

  ServicePorts ports_;
  LogLimit limit_;
  Bucket buckets_[engine::kMaxContainers];
};

}  // namespace tc::services
