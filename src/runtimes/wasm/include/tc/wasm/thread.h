// A thread of execution: the interpreter's state between runs. Its value stack and call stack
// are embedder-supplied spans (the container's quota). Nothing lives on the native stack between
// runs, so a run can stop at any safe point (fuel, preemption, blocking host call) and resume.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

#include "tc/base/status.h"
#include "tc/runtime/execution.h"
#include "tc/wasm/instance.h"

namespace tc::wasm {

struct Frame {
  const uint32_t* return_pc;  // nullptr: returning ends the run
  Slot* fp;
  Instance* instance;
  const FuncBody* body;
};

class Thread {
 public:
  Thread(std::span<Slot> value_stack, std::span<Frame> call_stack)
      : stack_(value_stack), frames_(call_stack) {}

  // Prepares a call of `function` with `args`; Run() executes it.
  Status Start(const Function& function, std::span<const Slot> args);
  // Runs until the call finishes, traps, runs out of fuel, is preempted or blocks. After any
  // non-final exit, calling Run() again continues exactly where it stopped.
  runtime::RunExit Run();

  // Fuel is charged at every function entry and loop iteration by the length of the straight
  // code that follows; when it would go negative the run stops with kOutOfFuel.
  void set_fuel(int64_t fuel) { fuel_ = fuel; }
  int64_t fuel() const { return fuel_; }
  // Safe to call from an interrupt or another thread: the run stops at the next safe point.
  void RequestPreemption() { preempt_.store(true, std::memory_order_relaxed); }

  runtime::TrapReason trap_reason() const { return trap_; }
  // The results of a finished call.
  std::span<const Slot> results() const { return {stack_.data(), result_count_}; }
  // After kBlocked: where the host function's results go before Run() resumes.
  std::span<Slot> blocked_results() { return {blocked_results_, blocked_result_count_}; }

  // Counters for --stats.
  uint64_t calls() const { return calls_; }
  uint64_t host_calls() const { return host_calls_; }

 private:
  enum class State : uint8_t { kIdle, kReady, kFinished, kTrapped };

  runtime::RunExit Execute();
  runtime::RunExit Trap(runtime::TrapReason reason) {
    trap_ = reason;
    state_ = State::kTrapped;
    return runtime::RunExit::kTrapped;
  }

  std::span<Slot> stack_;
  std::span<Frame> frames_;
  State state_ = State::kIdle;
  runtime::TrapReason trap_ = runtime::TrapReason::kNone;
  int64_t fuel_ = INT64_MAX;
  std::atomic<bool> preempt_{false};

  // Saved interpreter registers between runs.
  const uint32_t* pc_ = nullptr;
  Slot* fp_ = nullptr;
  Frame* frame_top_ = nullptr;
  Instance* instance_ = nullptr;
  const FuncBody* body_ = nullptr;

  uint32_t result_count_ = 0;
  Slot* blocked_results_ = nullptr;
  uint32_t blocked_result_count_ = 0;
  uint64_t calls_ = 0;
  uint64_t host_calls_ = 0;
};

}  // namespace tc::wasm
