// The runtime abstraction: the one interface every guest runtime (WebAssembly, eBPF, ...)
// implements so the engine can load, run, suspend, resume and wipe containers without knowing
// which runtime a container uses. Instances are resumable: Run() returns at a fuel check, an
// asynchronous preemption request or a blocking host call, and a later Run()/Resume() carries on
// exactly where it stopped, so one host thread can schedule every container.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/result.h"
#include "tc/runtime/execution.h"
#include "tc/runtime/guest_memory.h"

namespace tc::runtime {

// The entry points a container may export (PRODUCT §5).
enum class Entry : uint8_t {
  kInit,   // tc_init: once after start
  kLoop,   // tc_loop: once per activation; returns 0 to continue
  kStop,   // tc_stop: graceful stop
  kStart,  // _start: one-shot (WASI) programs
};
inline constexpr size_t kEntryCount = 4;
const char* ToString(Entry entry);
// The export name the guest uses for `entry` ("tc_init", ..., "_start").
const char* ExportName(Entry entry);

inline constexpr size_t kMaxHostArgs = 5;

// A call from the guest to a host service, already mapped by the runtime from its own calling
// convention (a wasm import, an eBPF helper number) to the engine's service number.
struct HostCall {
  uint16_t service = 0;
  uint8_t arg_count = 0;
  uint64_t args[kMaxHostArgs] = {};
  // The caller's memory at the time of the call; buffers are resolved against it.
  GuestMemory memory;
};

struct HostReply {
  HostAction action = HostAction::kContinue;
  int64_t value = 0;  // the call's result (negative = error code for the guest)
};

// Implemented by the engine. Called synchronously from inside Instance::Run().
class HostHandler {
 public:
  virtual HostReply OnHostCall(void* context, const HostCall& call) = 0;

 protected:
  ~HostHandler() = default;
};

// How a runtime finds the service number for a guest's import: wasm imports by (module, name,
// signature), eBPF helpers by number. The engine provides the table; a runtime refuses to
// instantiate a module that imports something absent from it.
struct HostBinding {
  const char* module;     // wasm import module ("tc", "wasi_snapshot_preview1"); null: eBPF only
  const char* name;       // wasm import name
  const char* signature;  // wasm signature, params then results, e.g. "ii:i" (i32 i32 -> i32)
  int32_t bpf_helper;     // eBPF helper number, or -1 when the service has none
  uint16_t service;
};

// Per-instance limits taken from the container's quotas.
struct InstanceLimits {
  uint32_t memory_bytes = 0;  // guest memory cap (wasm: may be below one 64 KiB page)
  uint32_t stack_bytes = 0;   // value + call stack budget
  // Fuel for code a runtime runs inside Instantiate() (a wasm module's start function).
  uint32_t start_fuel = 1u << 20;
};

struct InstanceSpec {
  std::span<const uint8_t> code;
  std::span<const uint8_t> data;  // optional initial data (e.g. model weights)
  InstanceLimits limits;
  std::span<const HostBinding> bindings;
  // The export each Entry calls, from the metadata (empty: the container has no such entry).
  // HasEntry(e) is true when the name is set and the module exports a function of that name.
  std::string_view entry_names[kEntryCount];
  HostHandler* host = nullptr;
  void* host_context = nullptr;  // passed back on every OnHostCall
};

// How one Run()/Resume() ended.
struct RunReport {
  RunExit exit = RunExit::kFinished;
  TrapReason trap = TrapReason::kNone;
  uint32_t fuel_used = 0;  // instructions (or the runtime's fuel unit) consumed by this call
  int64_t result = 0;      // kFinished: the entry's first result (0 when it has none)
};

class Instance {
 public:
  virtual bool HasEntry(Entry entry) const = 0;
  // Starts a fresh activation of `entry`; the next Run() executes it. Fails (kNotFound) when the
  // guest does not export it and (kFailedPrecondition) while another activation is unfinished.
  virtual Status Begin(Entry entry) = 0;
  // Executes the current activation with at most `fuel` units.
  virtual RunReport Run(uint32_t fuel) = 0;
  // After RunExit::kBlocked: delivers the host call's result and continues like Run().
  virtual RunReport Resume(int64_t host_result, uint32_t fuel) = 0;
  // Abandons an unfinished activation (used before a forced stop or a restart).
  virtual void Abort() = 0;
  // Asynchronous: may be called from an interrupt or another thread; the running guest returns
  // kPreempted at its next safe point. A request made while not running affects the next Run().
  virtual void RequestPreemption() = 0;
  virtual GuestMemory Memory() = 0;
  // Bytes of guest-visible memory in use (for the memory-use counter).
  virtual size_t MemoryInUse() const = 0;
  // Zeroes the guest's memory and stacks; the instance must not be used afterwards.
  virtual void Wipe() = 0;

 protected:
  ~Instance() = default;
};

// A runtime: a factory for instances. Stateless or internally synchronised; one object per kind.
class Runtime {
 public:
  virtual uint8_t type_id() const = 0;  // matches the metadata's runtime field
  virtual const char* name() const = 0;
  // Loads and validates `spec.code` and builds an instance whose every byte (module, memory,
  // stacks, the instance object itself) lives in `region`. Nothing is allocated elsewhere; the
  // code and data spans must outlive the instance. Errors: the runtime's load/validate status, or
  // kResourceExhausted when the region is too small for the quotas.
  virtual Result<Instance*> Instantiate(const InstanceSpec& spec, std::span<uint8_t> region) = 0;

 protected:
  ~Runtime() = default;
};

// The runtimes this build offers. Adding a runtime is one Register() line where the port builds
// its registry (see docs/engine.md).
class RuntimeRegistry {
 public:
  static constexpr size_t kCapacity = 4;

  Status Register(Runtime& runtime);
  // The runtime for a metadata runtime type, or null.
  Runtime* Find(uint8_t type_id) const;
  size_t size() const { return count_; }

 private:
  Runtime* runtimes_[kCapacity] = {};
  size_t count_ = 0;
};

}  // namespace tc::runtime
