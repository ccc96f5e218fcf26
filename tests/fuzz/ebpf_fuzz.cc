// libFuzzer target for the eBPF runtime's hostile-input paths. The first byte picks the path:
//   even: the rest is raw bytecode -> Verify -> run with a small fuel budget
//   odd:  the rest is an ELF object -> LoadElf -> Verify -> run
// Whatever gets through the verifier runs against 64 bytes of input, a helper that checks its
// buffer, and a preemption flag; AddressSanitizer catches any access outside those regions.
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "tc/ebpf/elf_loader.h"
#include "tc/ebpf/verifier.h"
#include "tc/ebpf/vm.h"

namespace {

using tc::runtime::HostAction;

HostAction ChecksumHelper(void*, tc::ebpf::Vm& vm, const uint64_t* args, uint64_t* result) {
  const uint32_t size = static_cast<uint32_t>(args[1] & 0xff);
  const uint8_t* p = vm.Translate(args[0], size, tc::ebpf::kRead);
  if (p == nullptr) return HostAction::kTrap;
  uint64_t sum = 0;
  for (uint32_t i = 0; i < size; ++i) sum += p[i];
  *result = sum;
  return HostAction::kContinue;
}

HostAction BlockingHelper(void*, tc::ebpf::Vm&, const uint64_t* args, uint64_t* result) {
  *result = args[0];
  return (args[0] & 1) ? HostAction::kBlock : HostAction::kContinue;
}

const tc::ebpf::Helper kHelpers[] = {{}, {&ChecksumHelper, nullptr}, {&BlockingHelper, nullptr}};

void Execute(const tc::ebpf::Program& program) {
  auto verified = tc::ebpf::Verify(program, kHelpers);
  if (!verified.ok()) return;
  alignas(8) static uint8_t stack[tc::ebpf::Vm::kFrameSize * 3];
  alignas(8) static uint8_t input[64];
  for (size_t i = 0; i < sizeof input; ++i) input[i] = static_cast<uint8_t>(i);
  tc::ebpf::Vm vm(*verified, stack);
  std::atomic<bool> preempt{false};
  vm.SetPreemptFlag(&preempt);
  vm.Start(input);
  // A few slices with resumption in between, as the engine would run it.
  for (int slice = 0; slice < 4; ++slice) {
    preempt = slice == 1;
    const auto exit = vm.Resume(2500);
    if (exit == tc::runtime::RunExit::kFinished || exit == tc::runtime::RunExit::kTrapped) break;
    if (exit == tc::runtime::RunExit::kBlocked) vm.SetBlockedResult(7);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::span<const uint8_t> body(data + 1, size - 1);
  if ((data[0] & 1) == 0) {
    tc::ebpf::Program program;
    program.code = body;
    program.entry = data[0] >> 4;
    Execute(program);
    return 0;
  }
  alignas(8) static uint8_t storage[16 * 1024];
  auto program = tc::ebpf::LoadElf(body, storage);
  if (program.ok()) Execute(*program);
  return 0;
}
