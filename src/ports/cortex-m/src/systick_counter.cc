#include "tc/port/systick_counter.h"

namespace tc::port {

namespace {
volatile uint32_t& SysTickControl = *reinterpret_cast<volatile uint32_t*>(0xE000E010);
volatile uint32_t& SysTickReload = *reinterpret_cast<volatile uint32_t*>(0xE000E014);
volatile uint32_t& SysTickCurrent = *reinterpret_cast<volatile uint32_t*>(0xE000E018);
constexpr uint32_t kCounterMask = 0xFFFFFF;
constexpr uint32_t kEnableWithProcessorClock = 5;
}  // namespace

void SysTickCounter::Start() {
  SysTickReload = kCounterMask;
  SysTickCurrent = 0;
  SysTickControl = kEnableWithProcessorClock;
}

uint32_t SysTickCounter::Now() { return SysTickCurrent; }

uint32_t SysTickCounter::Elapsed(uint32_t start) { return (start - Now()) & kCounterMask; }

double SysTickCounter::InstructionsPerTick() {
  constexpr uint32_t kTurns = 200000;  // 2 instructions per turn
  uint32_t turns = kTurns;
  const uint32_t start = Now();
  asm volatile("1: subs %0, #1\n bne 1b" : "+r"(turns));
  return 2.0 * kTurns / Elapsed(start);
}

}  // namespace tc::port
