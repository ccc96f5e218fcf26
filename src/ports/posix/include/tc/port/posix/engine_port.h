// The engine's clock and tick on a POSIX host: CLOCK_MONOTONIC in microseconds since the port was
// created, and a timer thread that calls the tick function (Engine::OnTick, which is
// interrupt-safe) at the time the engine last asked for, so a running container is preempted at
// its slice/budget end or a higher-priority release even while the engine thread is inside it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "tc/engine/port.h"

namespace tc::port::posix {

// Microseconds of CLOCK_MONOTONIC (arbitrary origin).
uint64_t MonotonicUs();

class PosixEnginePort final : public engine::EnginePort {
 public:
  PosixEnginePort();
  ~PosixEnginePort();
  PosixEnginePort(const PosixEnginePort&) = delete;
  PosixEnginePort& operator=(const PosixEnginePort&) = delete;

  // The function the timer thread calls at the requested time (set once the engine exists,
  // before the first Step(); cleared before the engine goes away). It runs on the timer thread
  // under the port's lock, so it must not call back into the port.
  void SetTick(std::function<void()> tick);

  // Microseconds since construction.
  uint64_t NowUs() override;
  // Replaces the pending tick; engine::kNever cancels it. Cheap when the time is unchanged.
  void RequestWakeAt(uint64_t time_us) override;

  // Ticks delivered so far (tests).
  uint64_t ticks() const;

 private:
  void TimerLoop();

  const uint64_t origin_us_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> tick_;
  uint64_t wake_at_ = engine::kNever;
  uint64_t ticks_ = 0;
  bool quit_ = false;
  std::thread timer_;
};

}  // namespace tc::port::posix
