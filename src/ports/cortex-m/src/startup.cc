// Reset and fault entry for Cortex-M: set up .data/.bss, run constructors, call main, report the
// result through semihosting. A fault prints its name and exits with a distinct status.
#include <cstdint>

#include "tc/port/board.h"

extern "C" {
extern uint32_t __data_load, __data_start, __data_end, __bss_start, __bss_end, __stack_top;
extern void (*__preinit_array_start[])(), (*__preinit_array_end[])();
extern void (*__init_array_start[])(), (*__init_array_end[])();
int main();
void Reset_Handler();
void Default_Handler();
void HardFault_Handler();
}

namespace {
constexpr int kFaultExitStatus = 70;

[[noreturn]] void ReportFault(const char* what) {
  tc::port::ConsoleWrite("\n*** FAULT: ");
  tc::port::ConsoleWrite(what);
  tc::port::ConsoleWrite(" ***\n");
  tc::port::Exit(kFaultExitStatus);
}
}  // namespace

extern "C" void Reset_Handler() {
  for (uint32_t *src = &__data_load, *dst = &__data_start; dst < &__data_end;) *dst++ = *src++;
  for (uint32_t* dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
  for (auto fn = __preinit_array_start; fn < __preinit_array_end; ++fn) (*fn)();
  for (auto fn = __init_array_start; fn < __init_array_end; ++fn) (*fn)();
  tc::port::ConsoleInit();
  tc::port::Exit(main());
}

extern "C" void HardFault_Handler() { ReportFault("HardFault"); }
extern "C" void Default_Handler() { ReportFault("unexpected exception"); }

using Handler = void (*)();

// Core exceptions only; device interrupts are added by the code that enables them.
__attribute__((section(".vectors"), used)) const Handler kVectorTable[16] = {
    reinterpret_cast<Handler>(&__stack_top),
    Reset_Handler,
    Default_Handler,    // NMI
    HardFault_Handler,  // HardFault
    HardFault_Handler,  // MemManage
    HardFault_Handler,  // BusFault
    HardFault_Handler,  // UsageFault
    nullptr,
    nullptr,
    nullptr,
    nullptr,
    Default_Handler,  // SVCall
    Default_Handler,  // DebugMonitor
    nullptr,
    Default_Handler,  // PendSV
    Default_Handler,  // SysTick
};
