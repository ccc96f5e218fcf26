// Test doubles for the engine: a port whose clock only moves when told (or when a fake guest
// executes instructions), and a runtime whose "programs" are scripted steps — compute N
// instructions, call host service X, loop forever, trap, return. Everything is deterministic.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <vector>

#include "tc/engine/port.h"
#include "tc/runtime/runtime.h"

namespace tc::engine::testing {

class FakePort : public EnginePort {
 public:
  uint64_t NowUs() override { return now_ns_ / 1000; }
  void RequestWakeAt(uint64_t time_us) override { wake_at_us_ = time_us; }

  uint64_t now_ns() const { return now_ns_; }
  uint64_t wake_at_us() const { return wake_at_us_; }
  // Moves the clock; fires the tick when it passes the requested wake-up time.
  void AdvanceNs(uint64_t ns);
  void AdvanceUs(uint64_t us) { AdvanceNs(us * 1000); }
  // Nanoseconds until the requested tick (UINT64_MAX when none).
  uint64_t NsUntilTick() const;
  void set_on_tick(std::function<void()> on_tick) { on_tick_ = std::move(on_tick); }
  uint32_t ticks() const { return ticks_; }

 private:
  uint64_t now_ns_ = 0;
  uint64_t wake_at_us_ = kNever;
  uint32_t ticks_ = 0;
  std::function<void()> on_tick_;
};

struct FakeStep {
  enum class Kind { kCompute, kForever, kHostCall, kTrap, kReturn };
  Kind kind = Kind::kCompute;
  uint64_t count = 0;
  uint16_t service = 0;
  uint8_t arg_count = 0;
  uint64_t args[runtime::kMaxHostArgs] = {};
  runtime::TrapReason trap = runtime::TrapReason::kNone;
  int64_t value = 0;

  static FakeStep Compute(uint64_t instructions);
  static FakeStep Forever();
  static FakeStep Call(uint16_t service, std::initializer_list<uint64_t> args = {});
  static FakeStep Trap(runtime::TrapReason reason = runtime::TrapReason::kUnreachable);
  static FakeStep Return(int64_t value);
};

struct FakeProgram {
  static constexpr uint32_t kMagic = 0xFA4E0001;
  uint32_t magic = kMagic;
  bool exported[runtime::kEntryCount] = {};
  std::vector<FakeStep> steps[runtime::kEntryCount];

  FakeProgram& Export(runtime::Entry entry, std::vector<FakeStep> program);
  std::span<const uint8_t> code() const {
    return {reinterpret_cast<const uint8_t*>(this), sizeof(*this)};
  }
};

class FakeRuntime;

// Lives in the engine-provided region, followed by the guest's memory.
class FakeInstance final : public runtime::Instance {
 public:
  FakeInstance(FakeRuntime& runtime, const FakeProgram& program, const runtime::InstanceSpec& spec,
               std::span<uint8_t> memory);

  bool HasEntry(runtime::Entry entry) const override;
  Status Begin(runtime::Entry entry) override;
  runtime::RunReport Run(uint32_t fuel) override;
  runtime::RunReport Resume(int64_t host_result, uint32_t fuel) override;
  void Abort() override;
  void RequestPreemption() override { preempt_.store(true); }
  runtime::GuestMemory Memory() override { return runtime::GuestMemory(memory_); }
  size_t MemoryInUse() const override { return memory_.size(); }
  void Wipe() override;

  // Results the guest received from its host calls, oldest first (the last 32).
  static constexpr size_t kResults = 32;
  int64_t last_result() const { return recent(0); }
  // The result `back` calls before the last one.
  int64_t recent(size_t back) const { return results_[(result_count_ - 1 - back) % kResults]; }
  size_t result_count() const { return result_count_; }
  const int64_t* results() const { return results_; }
  uint64_t instructions() const { return instructions_; }
  runtime::Entry entry() const { return entry_; }

 private:
  void Record(int64_t value);
  runtime::RunReport Done(runtime::RunExit exit, uint32_t used);

  FakeRuntime& runtime_;
  const FakeProgram& program_;
  runtime::HostHandler* host_;
  void* host_context_;
  std::span<uint8_t> memory_;
  bool named_[runtime::kEntryCount] = {};  // the metadata names an export for this entry
  runtime::Entry entry_ = runtime::Entry::kLoop;
  bool active_ = false;
  bool blocked_ = false;
  size_t step_ = 0;
  uint64_t step_left_ = 0;
  bool step_started_ = false;
  std::atomic<bool> preempt_{false};
  int64_t results_[kResults] = {};
  size_t result_count_ = 0;
  uint64_t instructions_ = 0;
};

class FakeRuntime final : public runtime::Runtime {
 public:
  static constexpr uint8_t kTypeId = 7;
  explicit FakeRuntime(FakePort& port, uint64_t ns_per_instruction = 10)
      : port_(port), ns_per_instruction_(ns_per_instruction) {}

  uint8_t type_id() const override { return kTypeId; }
  const char* name() const override { return "fake"; }
  Result<runtime::Instance*> Instantiate(const runtime::InstanceSpec& spec,
                                         std::span<uint8_t> region) override;

  FakePort& port() { return port_; }
  uint64_t ns_per_instruction() const { return ns_per_instruction_; }
  int instantiations = 0;
  int wipes = 0;

 private:
  FakePort& port_;
  uint64_t ns_per_instruction_;
};

}  // namespace tc::engine::testing
