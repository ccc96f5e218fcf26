// The engine: a fixed table of containers, their lifecycle, the scheduler that runs them all on
// the calling thread, the gate every host call passes, and run-time reconfiguration. No heap:
// every container's instance lives in its slot of the memory pool given at construction.
//
// Threading: everything runs on one thread except OnTick(), which a port may call from a timer
// interrupt; it only asks the running instance to preempt itself.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/result.h"
#include "tc/base/ring_buffer.h"
#include "tc/engine/compact_policy.h"
#include "tc/engine/guest_abi.h"
#include "tc/engine/lifecycle.h"
#include "tc/engine/observability.h"
#include "tc/engine/policy.h"
#include "tc/engine/port.h"
#include "tc/engine/service.h"
#include "tc/runtime/runtime.h"

// Build-time sizes (RAM: the trace ring is 16 bytes per entry, the audit ring 24).
#ifndef TC_ENGINE_MAX_CONTAINERS
#define TC_ENGINE_MAX_CONTAINERS 8
#endif
#ifndef TC_ENGINE_TRACE_CAPACITY
#define TC_ENGINE_TRACE_CAPACITY 512
#endif
#ifndef TC_ENGINE_AUDIT_CAPACITY
#define TC_ENGINE_AUDIT_CAPACITY 64
#endif

namespace tc::engine {

inline constexpr size_t kMaxContainers = TC_ENGINE_MAX_CONTAINERS;
inline constexpr size_t kMaxHandles = 8;
inline constexpr uint8_t kNoHandle = 0xFF;
inline constexpr size_t kTraceCapacity = TC_ENGINE_TRACE_CAPACITY;
inline constexpr size_t kAuditCapacity = TC_ENGINE_AUDIT_CAPACITY;
// tc services and Femto helpers (16), the WASI subset (12), SAUL (4), room for more.
inline constexpr size_t kMaxBindings = 40;

struct EngineConfig {
  // Instructions per Run(): bounds how long a higher-priority release can wait for the engine to
  // look at the clock when the port has no tick (the preemption bound of docs/engine.md).
  uint32_t fuel_quantum = 1000;
  uint32_t default_slice_us = 10000;
  // How long tc_stop may run before the stop is forced.
  uint32_t stop_timeout_us = 20000;
  // Fuel for a wasm module's start function, which runs inside Install() (and each restart);
  // a start function that needs more is refused.
  uint32_t start_fuel = 1u << 20;
};

// What Install() needs: the verified image's pieces. The code and data spans must stay valid
// (image storage) until the container is removed; the metadata is copied.
struct InstallRequest {
  const image::ContainerMetadata* metadata = nullptr;
  std::span<const uint8_t> code;
  std::span<const uint8_t> data;
};

// The result of one scheduling step.
struct StepResult {
  bool ran = false;           // a container ran
  uint64_t next_wake_us = 0;  // when idle: the next release/wake-up (kNever: nothing pending)
};

struct Handle {
  bool open = false;
  uint8_t endpoint = 0;
  uint8_t access = 0;  // kAccessRead/kAccessWrite bits it was opened with
  uint32_t token = 0;  // the backend's own reference
};

enum class WaitReason : uint8_t { kNone, kRelease, kSleep, kYield, kEvent, kExit };

struct Container {
  uint32_t id = 0;
  uint8_t generation = 0;
  State state = State::kEmpty;
  State suspended_from = State::kEmpty;
  State traced_state = State::kEmpty;
  image::Uid uid;
  EntryNameRefs entry_names = {kNoName, kNoName, kNoName, kNoName};  // in Engine::names()

  runtime::Runtime* runtime = nullptr;
  runtime::Instance* instance = nullptr;
  std::span<uint8_t> region;
  std::span<const uint8_t> code;
  std::span<const uint8_t> data;

  Quotas quotas;
  Schedule schedule;
  CompactPermissions permissions;  // peer uids in Engine::names()
  uint64_t config_sequence = 0;

  // Scheduling state.
  bool activation = false;  // an entry is begun and not finished
  runtime::Entry entry = runtime::Entry::kLoop;
  bool resume_pending = false;  // the last run blocked; resume with pending_result
  int64_t pending_result = 0;
  WaitReason wait = WaitReason::kNone;
  uint64_t wake_us = kNever;      // kSleeping/kThrottled: when to become ready
  uint64_t release_us = 0;        // start of the current period
  uint64_t deadline_us = kNever;  // absolute deadline of the running activation
  bool deadline_missed = false;   // already counted for this activation
  uint64_t budget_used_us = 0;    // in the current period
  uint64_t slice_used_us = 0;
  uint64_t last_dispatch = 0;    // round-robin order among equal priorities
  uint64_t stop_by_us = kNever;  // kStopping: force the stop at this time
  uint8_t restarts_since_start = 0;
  bool violation_stop = false;  // on_violation: stop was triggered by the last host call
  int64_t exit_code = 0;
  runtime::TrapReason trap = runtime::TrapReason::kNone;

  Handle handles[kMaxHandles];
  uint8_t blocked_handle = kNoHandle;  // the handle a kEvent-blocked call waits on
  uint32_t kv_used = 0;
  ContainerCounters counters;
};

class Engine final : public runtime::HostHandler {
 public:
  // `pool` is split into kMaxContainers equal 16-byte aligned regions, one per slot.
  Engine(EnginePort& port, const runtime::RuntimeRegistry& runtimes, std::span<uint8_t> pool,
         EngineConfig config = {});
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- services ---------------------------------------------------------------------------
  // now_us, sleep_us and yield are built in; the services layer registers the others.
  Status RegisterService(HostFunction function, const ServiceSpec& spec);
  // The import table runtimes resolve guest imports against; add bindings before Install().
  Status AddBinding(const runtime::HostBinding& binding);

  // --- lifecycle (docs/lifecycle.md) ------------------------------------------------------
  Result<uint32_t> Install(const InstallRequest& request);
  Status Start(uint32_t id);
  Status Stop(uint32_t id);  // graceful: tc_stop within stop_timeout_us, then forced
  Status Suspend(uint32_t id);
  Status Resume(uint32_t id);
  Status Remove(uint32_t id);  // wipes the container's memory
  // Stops at once without running tc_stop (an update replacing the container); allowed where
  // Stop() is and while stopping.
  Status ForceStop(uint32_t id);
  // Run-time reconfiguration (C5); `update` is already verified (signature, operator role) and
  // must name this container's uid.
  Status Configure(uint32_t id, const ConfigUpdate& update);

  // --- scheduling ---------------------------------------------------------------------------
  // Releases what is due, runs the most urgent ready container for one fuel quantum (or until
  // it blocks/finishes/is preempted) and charges the elapsed time to it.
  StepResult Step();
  // Interrupt-safe: the port's tick; preempts the running container at its next safe point.
  void OnTick();
  // A blocked host call completed (a service's event arrived): the container becomes ready and
  // resumes with `result`.
  Status CompleteBlockedCall(uint32_t id, int64_t result);
  // Services that store key-value bytes report their usage change here. Growth beyond the quota
  // is refused; shrinking is always allowed (usage may start above a new, smaller quota).
  Status ChargeKv(uint32_t id, int64_t delta_bytes);
  // For services that yield or end their caller from inside a host call (yield, WASI sched_yield
  // and proc_exit): the service returns the reply these give. YieldCaller gives the rest of the
  // slice to the next container of equal priority and resumes the caller with 0; FinishCaller
  // ends the container (stopped, `exit_code` kept) before it runs another instruction.
  runtime::HostReply YieldCaller(uint32_t id);
  runtime::HostReply FinishCaller(uint32_t id, int64_t exit_code);
  // Where install learns the bytes a uid's existing records use (set by the kv service).
  void SetKvUsageSource(KvUsageFn fn, void* context) {
    kv_usage_fn_ = fn;
    kv_usage_context_ = context;
  }

  // --- observation ----------------------------------------------------------------------------
  const Container* Find(uint32_t id) const;
  size_t MemoryInUse(uint32_t id) const;
  const RingBuffer<AuditEntry, kAuditCapacity>& audit_log() const { return audit_; }
  const RingBuffer<TraceEvent, kTraceCapacity>& trace() const { return trace_; }
  std::span<const Container> containers() const { return {slots_, kMaxContainers}; }
  const NameTable& names() const { return names_; }
  // A container's permissions in the metadata form.
  Permissions PermissionsOf(const Container& c) const {
    return ExpandPermissions(c.permissions, names_);
  }
  EnginePort& port() { return port_; }
  uint64_t NowUs() { return port_.NowUs(); }

  // The gate and dispatcher; called by runtimes from inside Run().
  runtime::HostReply OnHostCall(void* context, const runtime::HostCall& call) override;

 private:
  Container* Lookup(uint32_t id, Status* error);
  Status Instantiate(Container& c);
  void WipeInstance(Container& c);
  Status BeginEntry(Container& c, runtime::Entry entry);
  Status StartFresh(Container& c, uint64_t now);
  void ApplySchedule(Container& c, const Schedule& schedule, uint64_t now);
  void SetState(Container& c, State state);
  void ToStopped(Container& c);
  // Closes every open handle, or with `next` only those the new permissions revoke (waking a
  // call blocked on one with kGuestBadHandle).
  void ReleaseHandles(Container& c, const CompactPermissions* next);
  void Release(Container& c, uint64_t now);
  void ScheduleNextRelease(Container& c, uint64_t now);
  void ProcessTimers(uint64_t now);
  Container* Pick();
  void RequestTick(const Container& running, uint64_t now);
  void AfterRun(Container& c, const runtime::RunReport& report, uint64_t start, uint64_t end);
  void OnFinished(Container& c, int64_t result, uint64_t now);
  void OnOverrun(Container& c, uint64_t now);
  void CheckDeadline(Container& c, uint64_t now);
  runtime::HostReply Deny(Container& c, uint16_t service, DenialReason reason);
  // Whether `c` may use the endpoint `declared` (null: undeclared) with `access`; if not, why.
  bool MayUse(const Container& c, const EndpointRule* declared, uint64_t access,
              DenialReason& why) const;
  runtime::HostReply CallChecked(Container& c, const runtime::HostCall& call,
                                 const ServiceSpec& spec);
  void Trace(const Container& c, TraceKind kind, uint8_t aux, uint32_t value, uint64_t time);

  static runtime::HostReply NowUsService(void* context, ServiceCall& call);
  static runtime::HostReply SleepUsService(void* context, ServiceCall& call);
  static runtime::HostReply YieldService(void* context, ServiceCall& call);

  EnginePort& port_;
  const runtime::RuntimeRegistry& runtimes_;
  EngineConfig config_;

  ServiceSpec services_[kMaxHostFunctions];
  runtime::HostBinding bindings_[kMaxBindings] = {};
  size_t binding_count_ = 0;
  KvUsageFn kv_usage_fn_ = nullptr;
  void* kv_usage_context_ = nullptr;

  Container slots_[kMaxContainers];
  NameTable names_;
  // The declaration an open service receives (Resolved::declared); one host call at a time.
  Endpoint opening_;
  std::atomic<runtime::Instance*> preemptible_{nullptr};
  uint64_t dispatch_counter_ = 0;

  RingBuffer<AuditEntry, kAuditCapacity> audit_;
  RingBuffer<TraceEvent, kTraceCapacity> trace_;
};

}  // namespace tc::engine
