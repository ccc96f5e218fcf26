// eBPF interpreter vs native on the Cortex-M4 (QEMU mps2-an386 with -icount shift=0, where every
// guest instruction advances virtual time by 1 ns and SysTick counts are exact). Prints, per
// workload, guest instructions per eBPF instruction and the ratio to the same C compiled natively
// (arm-none-eabi-gcc -O2), from (large run - small run). Run by bench/ebpf/run.sh.
#include <cstdint>
#include <cstring>

#include "tc/base/format.h"
#include "tc/ebpf/elf_loader.h"
#include "tc/ebpf/verifier.h"
#include "tc/ebpf/vm.h"
#include "tc/port/board.h"
#include "tc/port/systick_counter.h"

extern "C" {
uint64_t native_fib(const uint64_t* input);
uint64_t native_crc32(const uint64_t* input);
uint64_t native_sieve(const uint64_t* input);
extern const uint8_t bpf_fib[], bpf_crc32[], bpf_sieve[];
extern const unsigned long bpf_fib_size, bpf_crc32_size, bpf_sieve_size;
}

namespace {

using tc::port::SysTickCounter;

struct Workload {
  const char* name;
  uint64_t (*native)(const uint64_t*);
  const uint8_t* object;
  unsigned long size;
  uint64_t small, large;
};

alignas(8) uint8_t g_storage[40 * 1024];
alignas(8) uint8_t g_stack[tc::ebpf::Vm::kFrameSize];
alignas(8) uint8_t g_input[8 + 256];

void SetInput(uint64_t n) {
  std::memcpy(g_input, &n, 8);
  for (int i = 0; i < 256; ++i) g_input[8 + i] = static_cast<uint8_t>(i * 7 + 3);
}

void Print(const char* text) { tc::port::ConsoleWrite(text); }

bool Measure(const Workload& w, double per_tick) {
  auto program = tc::ebpf::LoadElf({w.object, w.size}, g_storage, "entry");
  if (!program.ok()) return false;
  auto verified = tc::ebpf::Verify(*program, {});
  if (!verified.ok()) return false;
  tc::ebpf::Vm vm(*verified, g_stack);
  uint64_t ebpf_ticks[2], native_ticks[2], executed[2], results[2];
  const uint64_t sizes[2] = {w.small, w.large};
  for (int i = 0; i < 2; ++i) {
    SetInput(sizes[i]);
    uint32_t start = SysTickCounter::Now();
    if (vm.Run(g_input, UINT64_MAX) != tc::runtime::RunExit::kFinished) return false;
    ebpf_ticks[i] = SysTickCounter::Elapsed(start);
    executed[i] = vm.instructions_executed();
    start = SysTickCounter::Now();
    results[i] = w.native(reinterpret_cast<const uint64_t*>(g_input));
    native_ticks[i] = SysTickCounter::Elapsed(start);
    if (results[i] != vm.result()) return false;
  }
  const double ebpf = (ebpf_ticks[1] - ebpf_ticks[0]) * per_tick;
  const double native = (native_ticks[1] - native_ticks[0]) * per_tick;
  const double per_instruction = ebpf / static_cast<double>(executed[1] - executed[0]);
  char line[160];
  tc::FormatTo(
      line, "| %s | %u | %u.%u | %u | %u.%ux |\n", w.name,
      static_cast<unsigned>(executed[1] - executed[0]), static_cast<unsigned>(per_instruction),
      static_cast<unsigned>(per_instruction * 10) % 10, static_cast<unsigned>(native),
      static_cast<unsigned>(ebpf / native), static_cast<unsigned>(ebpf * 10 / native) % 10);
  Print(line);
  return true;
}

}  // namespace

int main() {
  SysTickCounter::Start();
  const double per_tick = SysTickCounter::InstructionsPerTick();
  const Workload workloads[] = {
      {"fib", native_fib, bpf_fib, bpf_fib_size, 1000, 21000},
      {"crc32", native_crc32, bpf_crc32, bpf_crc32_size, 2, 12},
      {"sieve", native_sieve, bpf_sieve, bpf_sieve_size, 1000, 8192},
  };
  Print(
      "| workload (Cortex-M4, QEMU -icount) | eBPF instr | guest instr / eBPF instr | native guest "
      "instr | ratio |\n");
  Print("|---|---|---|---|---|\n");
  for (const Workload& w : workloads) {
    if (!Measure(w, per_tick)) {
      Print("benchmark failed\n");
      return 1;
    }
  }
  Print("DONE\n");
  return 0;
}
