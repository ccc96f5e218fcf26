// Shared by the engine and services benchmarks (x86 and Cortex-M4): a runtime whose instances do
// no guest work, so what is measured is the engine (gate, services, scheduler) alone.
#pragma once

#include <cstdint>
#include <new>
#include <span>

#include "tc/engine/engine.h"

namespace tc::bench {

// A port whose clock advances a fixed step per reading (e.g. one round-robin slice per step).
class BenchPort final : public engine::EnginePort {
 public:
  explicit BenchPort(uint64_t step_us) : step_us_(step_us) {}
  uint64_t NowUs() override { return now_ += step_us_; }
  void RequestWakeAt(uint64_t) override {}

 private:
  uint64_t step_us_;
  uint64_t now_ = 0;
};

// Each Run() returns out of fuel at once. It keeps the engine's host handler so a benchmark can
// call it exactly as a runtime would.
class BenchInstance final : public runtime::Instance {
 public:
  explicit BenchInstance(const runtime::InstanceSpec& spec)
      : host(spec.host), context(spec.host_context) {}
  bool HasEntry(runtime::Entry e) const override { return e == runtime::Entry::kLoop; }
  Status Begin(runtime::Entry) override { return Status::Ok(); }
  runtime::RunReport Run(uint32_t) override { return {runtime::RunExit::kOutOfFuel, {}, 1, 0}; }
  runtime::RunReport Resume(int64_t, uint32_t fuel) override { return Run(fuel); }
  void Abort() override {}
  void RequestPreemption() override {}
  runtime::GuestMemory Memory() override {
    return runtime::GuestMemory(std::span<uint8_t>(memory));
  }
  size_t MemoryInUse() const override { return sizeof(memory); }
  void Wipe() override {}

  runtime::HostHandler* host;
  void* context;
  uint8_t memory[256] = {};
};

class BenchRuntime final : public runtime::Runtime {
 public:
  uint8_t type_id() const override { return 0; }
  const char* name() const override { return "bench"; }
  Result<runtime::Instance*> Instantiate(const runtime::InstanceSpec& spec,
                                         std::span<uint8_t> region) override {
    last = new (region.data()) BenchInstance(spec);
    return static_cast<runtime::Instance*>(last);
  }
  BenchInstance* last = nullptr;
};

}  // namespace tc::bench
