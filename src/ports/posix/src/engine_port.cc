#include "tc/port/posix/engine_port.h"

#include <time.h>

#include <chrono>

namespace tc::port::posix {

uint64_t MonotonicUs() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

PosixEnginePort::PosixEnginePort() : origin_us_(MonotonicUs()) {
  timer_ = std::thread([this] { TimerLoop(); });
}

PosixEnginePort::~PosixEnginePort() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  changed_.notify_one();
  timer_.join();
}

void PosixEnginePort::SetTick(std::function<void()> tick) {
  std::lock_guard<std::mutex> lock(mutex_);
  tick_ = std::move(tick);
}

uint64_t PosixEnginePort::NowUs() { return MonotonicUs() - origin_us_; }

void PosixEnginePort::RequestWakeAt(uint64_t time_us) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // The engine repeats the same request before most runs; only a change wakes the thread.
    if (time_us == wake_at_) return;
    wake_at_ = time_us;
  }
  changed_.notify_one();
}

uint64_t PosixEnginePort::ticks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return ticks_;
}

void PosixEnginePort::TimerLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!quit_) {
    if (wake_at_ == engine::kNever) {
      changed_.wait(lock);
      continue;
    }
    const uint64_t now = NowUs();
    if (now < wake_at_) {
      // steady_clock is CLOCK_MONOTONIC on Linux; a spurious or early wake loops back here.
      changed_.wait_for(lock, std::chrono::microseconds(wake_at_ - now));
      continue;
    }
    wake_at_ = engine::kNever;
    ++ticks_;
    // Called under the lock, so SetTick({}) guarantees no tick runs afterwards.
    if (tick_) tick_();
  }
}

}  // namespace tc::port::posix
