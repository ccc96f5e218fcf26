#include "fake_runtime.h"

#include <algorithm>
#include <cstring>
#include <new>

namespace tc::engine::testing {

using runtime::RunExit;
using runtime::RunReport;

void FakePort::AdvanceNs(uint64_t ns) {
  now_ns_ += ns;
  if (wake_at_us_ != kNever && NowUs() >= wake_at_us_) {
    wake_at_us_ = kNever;
    ++ticks_;
    if (on_tick_) on_tick_();
  }
}

uint64_t FakePort::NsUntilTick() const {
  if (wake_at_us_ == kNever) return UINT64_MAX;
  const uint64_t at_ns = wake_at_us_ * 1000;
  return at_ns > now_ns_ ? at_ns - now_ns_ : 0;
}

FakeStep FakeStep::Compute(uint64_t instructions) {
  FakeStep s;
  s.kind = Kind::kCompute;
  s.count = instructions;
  return s;
}

FakeStep FakeStep::Forever() {
  FakeStep s;
  s.kind = Kind::kForever;
  return s;
}

FakeStep FakeStep::Call(uint16_t service, std::initializer_list<uint64_t> args) {
  FakeStep s;
  s.kind = Kind::kHostCall;
  s.service = service;
  for (uint64_t a : args) s.args[s.arg_count++] = a;
  return s;
}

FakeStep FakeStep::Trap(runtime::TrapReason reason) {
  FakeStep s;
  s.kind = Kind::kTrap;
  s.trap = reason;
  return s;
}

FakeStep FakeStep::Return(int64_t value) {
  FakeStep s;
  s.kind = Kind::kReturn;
  s.value = value;
  return s;
}

FakeProgram& FakeProgram::Export(runtime::Entry entry, std::vector<FakeStep> program) {
  exported[static_cast<size_t>(entry)] = true;
  steps[static_cast<size_t>(entry)] = std::move(program);
  return *this;
}

FakeInstance::FakeInstance(FakeRuntime& runtime, const FakeProgram& program,
                           const runtime::InstanceSpec& spec, std::span<uint8_t> memory)
    : runtime_(runtime),
      program_(program),
      host_(spec.host),
      host_context_(spec.host_context),
      memory_(memory) {
  for (size_t e = 0; e < runtime::kEntryCount; ++e) named_[e] = !spec.entry_names[e].empty();
}

bool FakeInstance::HasEntry(runtime::Entry entry) const {
  const auto e = static_cast<size_t>(entry);
  return program_.exported[e] && named_[e];
}

Status FakeInstance::Begin(runtime::Entry entry) {
  if (!HasEntry(entry)) return Status(ErrorCode::kNotFound, "entry not exported");
  if (active_) return Status(ErrorCode::kFailedPrecondition, "an activation is unfinished");
  entry_ = entry;
  active_ = true;
  blocked_ = false;
  step_ = 0;
  step_started_ = false;
  return Status::Ok();
}

void FakeInstance::Abort() {
  active_ = false;
  blocked_ = false;
}

void FakeInstance::Wipe() {
  ++runtime_.wipes;
  std::memset(memory_.data(), 0, memory_.size());
  active_ = false;
}

void FakeInstance::Record(int64_t value) {
  results_[result_count_ % kResults] = value;
  ++result_count_;
}

RunReport FakeInstance::Done(RunExit exit, uint32_t used) {
  RunReport r;
  r.exit = exit;
  r.fuel_used = used;
  return r;
}

RunReport FakeInstance::Resume(int64_t host_result, uint32_t fuel) {
  if (blocked_) {
    Record(host_result);
    blocked_ = false;
  }
  return Run(fuel);
}

RunReport FakeInstance::Run(uint32_t fuel) {
  uint32_t used = 0;
  if (preempt_.exchange(false)) return Done(RunExit::kPreempted, 0);
  if (!active_ || blocked_) {
    RunReport r = Done(RunExit::kTrapped, 0);
    r.trap = runtime::TrapReason::kHostFault;
    return r;
  }
  const auto& steps = program_.steps[static_cast<size_t>(entry_)];
  FakePort& port = runtime_.port();
  const uint64_t ns = runtime_.ns_per_instruction();
  while (true) {
    if (step_ >= steps.size()) {
      active_ = false;
      return Done(RunExit::kFinished, used);
    }
    const FakeStep& s = steps[step_];
    switch (s.kind) {
      case FakeStep::Kind::kCompute:
      case FakeStep::Kind::kForever: {
        if (!step_started_) {
          step_left_ = s.kind == FakeStep::Kind::kForever ? UINT64_MAX : s.count;
          step_started_ = true;
        }
        while (step_left_ > 0) {
          if (used == fuel) return Done(RunExit::kOutOfFuel, used);
          // Execute up to the next event: end of step, end of fuel or the port's tick.
          uint64_t chunk = std::min<uint64_t>(step_left_, fuel - used);
          const uint64_t to_tick = port.NsUntilTick();
          if (to_tick != UINT64_MAX) chunk = std::min<uint64_t>(chunk, to_tick / ns + 1);
          port.AdvanceNs(chunk * ns);
          used += static_cast<uint32_t>(chunk);
          instructions_ += chunk;
          if (s.kind == FakeStep::Kind::kCompute) step_left_ -= chunk;
          if (preempt_.exchange(false)) return Done(RunExit::kPreempted, used);
        }
        ++step_;
        step_started_ = false;
        break;
      }
      case FakeStep::Kind::kHostCall: {
        if (used == fuel) return Done(RunExit::kOutOfFuel, used);
        port.AdvanceNs(ns);
        ++used;
        ++instructions_;
        runtime::HostCall call;
        call.service = s.service;
        call.arg_count = s.arg_count;
        std::copy(s.args, s.args + runtime::kMaxHostArgs, call.args);
        call.memory = Memory();
        const runtime::HostReply reply = host_->OnHostCall(host_context_, call);
        ++step_;
        if (reply.action == runtime::HostAction::kBlock) {
          blocked_ = true;
          return Done(RunExit::kBlocked, used);
        }
        if (reply.action == runtime::HostAction::kTrap) {
          active_ = false;
          RunReport r = Done(RunExit::kTrapped, used);
          r.trap = runtime::TrapReason::kHostFault;
          return r;
        }
        Record(reply.value);
        break;
      }
      case FakeStep::Kind::kTrap: {
        active_ = false;
        RunReport r = Done(RunExit::kTrapped, used);
        r.trap = s.trap;
        return r;
      }
      case FakeStep::Kind::kReturn: {
        active_ = false;
        RunReport r = Done(RunExit::kFinished, used);
        r.result = s.value;
        return r;
      }
    }
  }
}

Result<runtime::Instance*> FakeRuntime::Instantiate(const runtime::InstanceSpec& spec,
                                                    std::span<uint8_t> region) {
  if (spec.code.size() != sizeof(FakeProgram)) {
    return Status(ErrorCode::kMalformed, "fake code has the wrong size");
  }
  const auto* program = reinterpret_cast<const FakeProgram*>(spec.code.data());
  if (program->magic != FakeProgram::kMagic) {
    return Status(ErrorCode::kMalformed, "fake code has a bad magic", 0);
  }
  const size_t need = sizeof(FakeInstance) + spec.limits.memory_bytes;
  if (region.size() < need) {
    return Status(ErrorCode::kResourceExhausted, "instance does not fit in its region");
  }
  ++instantiations;
  std::span<uint8_t> memory = region.subspan(sizeof(FakeInstance), spec.limits.memory_bytes);
  std::copy(spec.data.begin(), spec.data.begin() + std::min(spec.data.size(), memory.size()),
            memory.begin());
  return new (region.data()) FakeInstance(*this, *program, spec, memory);
}

}  // namespace tc::engine::testing
