// What the engine needs from the platform to schedule: a monotonic microsecond clock and a way to
// be woken (by a tick that calls Engine::OnTick) at a given time. Ports implement it; tests use a
// fake clock.
#pragma once

#include <cstdint>

namespace tc::engine {

inline constexpr uint64_t kNever = UINT64_MAX;

class EnginePort {
 public:
  virtual uint64_t NowUs() = 0;
  // Ask for Engine::OnTick() at (or soon after) `time_us`; a later request replaces an earlier
  // one; kNever cancels. A port without a timer may ignore it (preemption then happens at the
  // fuel quantum).
  virtual void RequestWakeAt(uint64_t time_us) = 0;

 protected:
  ~EnginePort() = default;
};

}  // namespace tc::engine
