// A wrapper that makes a real runtime deterministic under the fake clock: each run advances the
// clock by 10 ns per unit of fuel the guest used, and is cut short exactly when the port's tick
// is due, where it reports kPreempted (as a timer interrupt would have caused).
//
// `min_fuel_per_run` lets every run use at least that much fuel even when the tick is nearer:
// the wasm interpreter charges fuel per basic block, so a run cut closer to the tick than the
// next block costs would use none and the clock would never reach the tick (a real timer
// interrupt also lands after the next safe point). Scenarios with long straight-line blocks need
// it; 0 keeps the exact cut the scheduler tests count on.
#pragma once

#include <algorithm>
#include <deque>

#include "fake_runtime.h"
#include "tc/runtime/runtime.h"

namespace tc::engine::testing {

inline constexpr uint64_t kNsPerFuel = 10;

class MeteredInstance final : public runtime::Instance {
 public:
  MeteredInstance(runtime::Instance& inner, FakePort& port, uint32_t min_fuel_per_run)
      : inner_(inner), port_(port), min_fuel_per_run_(min_fuel_per_run) {}
  bool HasEntry(runtime::Entry e) const override { return inner_.HasEntry(e); }
  Status Begin(runtime::Entry e) override { return inner_.Begin(e); }
  runtime::RunReport Run(uint32_t fuel) override { return Metered(fuel, false, 0); }
  runtime::RunReport Resume(int64_t result, uint32_t fuel) override {
    return Metered(fuel, true, result);
  }
  void Abort() override { inner_.Abort(); }
  void RequestPreemption() override { preempt_ = true; }
  runtime::GuestMemory Memory() override { return inner_.Memory(); }
  size_t MemoryInUse() const override { return inner_.MemoryInUse(); }
  void Wipe() override { inner_.Wipe(); }

 private:
  runtime::RunReport Metered(uint32_t fuel, bool resume, int64_t result) {
    uint64_t limit = fuel;
    const uint64_t to_tick = port_.NsUntilTick();
    if (to_tick != UINT64_MAX) limit = std::min<uint64_t>(limit, to_tick / kNsPerFuel + 1);
    limit = std::max<uint64_t>(limit, std::min(fuel, min_fuel_per_run_));
    const auto f = static_cast<uint32_t>(limit);
    runtime::RunReport report = resume ? inner_.Resume(result, f) : inner_.Run(f);
    port_.AdvanceNs(report.fuel_used * kNsPerFuel);  // may fire the tick -> RequestPreemption
    if (preempt_ && report.exit == runtime::RunExit::kOutOfFuel)
      report.exit = runtime::RunExit::kPreempted;
    preempt_ = false;
    return report;
  }

  runtime::Instance& inner_;
  FakePort& port_;
  uint32_t min_fuel_per_run_;
  bool preempt_ = false;
};

class MeteredRuntime final : public runtime::Runtime {
 public:
  MeteredRuntime(runtime::Runtime& inner, FakePort& port, uint32_t min_fuel_per_run = 0)
      : inner_(inner), port_(port), min_fuel_per_run_(min_fuel_per_run) {}
  uint8_t type_id() const override { return inner_.type_id(); }
  const char* name() const override { return inner_.name(); }
  Result<runtime::Instance*> Instantiate(const runtime::InstanceSpec& spec,
                                         std::span<uint8_t> region) override {
    TC_ASSIGN_OR_RETURN(runtime::Instance * inner, inner_.Instantiate(spec, region));
    wrappers_.emplace_back(*inner, port_, min_fuel_per_run_);
    return static_cast<runtime::Instance*>(&wrappers_.back());
  }

 private:
  runtime::Runtime& inner_;
  FakePort& port_;
  uint32_t min_fuel_per_run_;
  std::deque<MeteredInstance> wrappers_;
};

}  // namespace tc::engine::testing
