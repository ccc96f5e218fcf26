// Free-running SysTick as an instruction counter for on-target benchmarks: under QEMU with
// `-icount shift=0` its ticks are exact and repeat run to run (DWT CYCCNT is not emulated).
#pragma once

#include <cstdint>

namespace tc::port {

class SysTickCounter {
 public:
  // Starts SysTick free-running from the processor clock, without its interrupt.
  static void Start();
  static uint32_t Now();
  // Ticks since `start` (the counter counts down and wraps at 24 bits).
  static uint32_t Elapsed(uint32_t start);
  // Guest instructions per tick, from a loop of known length.
  static double InstructionsPerTick();
};

}  // namespace tc::port
