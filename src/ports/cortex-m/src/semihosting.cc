#include <cstdint>

#include "tc/port/board.h"

namespace tc::port {

namespace {
constexpr uint32_t kSysExitExtended = 0x20;
constexpr uint32_t kAdpStoppedApplicationExit = 0x20026;

uint32_t SemihostingCall(uint32_t operation, const void* argument) {
  register uint32_t r0 asm("r0") = operation;
  register const void* r1 asm("r1") = argument;
  asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}
}  // namespace

void Exit(int status) {
  const uint32_t block[2] = {kAdpStoppedApplicationExit, static_cast<uint32_t>(status)};
  SemihostingCall(kSysExitExtended, block);
  // Without a debugger attached the call returns; park the core so nothing else runs.
  for (;;) asm volatile("wfi");
}

}  // namespace tc::port
