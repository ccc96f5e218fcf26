// The eBPF runtime on a real Cortex-M4 (QEMU mps2-an386): verifier, 64-bit arithmetic on a
// 32-bit core, region checks, fuel/resume, helpers and local calls, compiled with the device
// flags (-Os, no exceptions, no RTTI).
#include <atomic>
#include <cstring>

#include "device_check.h"
#include "tc/ebpf/verifier.h"
#include "tc/ebpf/vm.h"

namespace {

using tc::ebpf::Helper;
using tc::ebpf::Program;
using tc::ebpf::Verify;
using tc::ebpf::Vm;
using tc::runtime::HostAction;
using tc::runtime::RunExit;
using tc::runtime::TrapReason;

struct Slot {
  uint8_t opcode, regs;
  int16_t offset;
  int32_t imm;
};
constexpr Slot S(uint8_t opcode, uint8_t dst, uint8_t src, int16_t offset, int32_t imm) {
  return Slot{opcode, static_cast<uint8_t>(src << 4 | dst), offset, imm};
}
static_assert(sizeof(Slot) == 8);

template <size_t N>
std::span<const uint8_t> Bytes(const Slot (&slots)[N]) {
  return {reinterpret_cast<const uint8_t*>(slots), sizeof slots};
}

alignas(8) uint8_t g_stack[Vm::kFrameSize * 3];

HostAction Twice(void*, Vm&, const uint64_t* args, uint64_t* result) {
  *result = args[0] * 2;
  return HostAction::kContinue;
}
const Helper kHelpers[] = {{}, {&Twice, nullptr}};

// r0 = sum of 1..1000 (3003 instructions).
const Slot kSumLoop[] = {S(0xb7, 0, 0, 0, 0), S(0xb7, 1, 0, 0, 1000), S(0x0f, 0, 1, 0, 0),
                         S(0x17, 1, 0, 0, 1), S(0x55, 1, 0, -3, 0),   S(0x95, 0, 0, 0, 0)};

void CheckArithmetic() {
  // r0 = 0x123456789 * 0x10 / 3 (64-bit); r0 ^= (r0 s>> 63); 64-bit div/mul on a 32-bit core.
  const Slot prog[] = {S(0x18, 0, 0, 0, 0x23456789), S(0, 0, 0, 0, 0x1), S(0x27, 0, 0, 0, 0x10),
                       S(0x37, 0, 0, 0, 3), S(0x95, 0, 0, 0, 0)};
  Program program;
  program.code = Bytes(prog);
  auto verified = Verify(program, {});
  DEVICE_CHECK(verified.ok());
  Vm vm(*verified, g_stack);
  DEVICE_CHECK(vm.Run({}, 100) == RunExit::kFinished);
  DEVICE_CHECK(vm.result() == 0x123456789ull * 0x10 / 3);

  // sdiv INT64_MIN / -1 wraps; div by zero gives 0.
  const Slot div[] = {S(0x18, 0, 0, 0, 0), S(0, 0, 0, 0, INT32_MIN), S(0x37, 0, 0, 1, -1),
                      S(0xb7, 1, 0, 0, 0), S(0x3f, 1, 1, 0, 0),      S(0x4f, 0, 1, 0, 0),
                      S(0x95, 0, 0, 0, 0)};
  program.code = Bytes(div);
  auto verified_div = Verify(program, {});
  DEVICE_CHECK(verified_div.ok());
  Vm vm_div(*verified_div, g_stack);
  DEVICE_CHECK(vm_div.Run({}, 100) == RunExit::kFinished);
  DEVICE_CHECK(vm_div.result() == 0x8000000000000000ull);
}

void CheckFuelAndResume() {
  Program program;
  program.code = Bytes(kSumLoop);
  auto verified = Verify(program, {});
  DEVICE_CHECK(verified.ok());
  Vm vm(*verified, g_stack);
  vm.Start({});
  int slices = 0;
  RunExit exit;
  while ((exit = vm.Resume(100)) == RunExit::kOutOfFuel) ++slices;
  DEVICE_CHECK(exit == RunExit::kFinished);
  DEVICE_CHECK(vm.result() == 500500);
  DEVICE_CHECK(slices == 30);
  DEVICE_CHECK(vm.instructions_executed() == 3003);

  std::atomic<bool> preempt{true};
  vm.SetPreemptFlag(&preempt);
  DEVICE_CHECK(vm.Run({}, 100000) == RunExit::kPreempted);
  preempt = false;
  DEVICE_CHECK(vm.Resume(100000) == RunExit::kFinished);
  DEVICE_CHECK(vm.result() == 500500);
}

void CheckRegionsAndHelpers() {
  // r0 = helper1(ldxw [r1+4]); stack round trip; then a read one byte past the input traps.
  const Slot prog[] = {S(0x61, 6, 1, 4, 0),   S(0xbf, 1, 6, 0, 0),   S(0x85, 0, 0, 0, 1),
                       S(0x7b, 10, 0, -8, 0), S(0x79, 0, 10, -8, 0), S(0x95, 0, 0, 0, 0)};
  Program program;
  program.code = Bytes(prog);
  auto verified = Verify(program, kHelpers);
  DEVICE_CHECK(verified.ok());
  Vm vm(*verified, g_stack);
  uint32_t input[2] = {1, 21};
  std::span<uint8_t> bytes(reinterpret_cast<uint8_t*>(input), sizeof input);
  DEVICE_CHECK(vm.Run(bytes, 100) == RunExit::kFinished);
  DEVICE_CHECK(vm.result() == 42);
  DEVICE_CHECK(vm.Run(bytes.first(7), 100) == RunExit::kTrapped);
  DEVICE_CHECK(vm.trap_reason() == TrapReason::kMemoryAccessDenied);
  DEVICE_CHECK(vm.pc() == 0);

  // The helper allow-list is enforced before running.
  DEVICE_CHECK(Verify(program, {}).status().code() == tc::ErrorCode::kPermissionDenied);
  DEVICE_CHECK(Verify(program, {}).status().position() == 2);
}

void CheckLocalCalls() {
  // main: r6 = 5; call f; r0 += r6; exit.  f: r6 = 1; r0 = 10; exit.
  const Slot prog[] = {S(0xb7, 6, 0, 0, 5), S(0x85, 0, 1, 0, 2), S(0x0f, 0, 6, 0, 0),
                       S(0x95, 0, 0, 0, 0), S(0xb7, 6, 0, 0, 1), S(0xb7, 0, 0, 0, 10),
                       S(0x95, 0, 0, 0, 0)};
  Program program;
  program.code = Bytes(prog);
  auto verified = Verify(program, {});
  DEVICE_CHECK(verified.ok());
  Vm vm(*verified, g_stack);
  DEVICE_CHECK(vm.Run({}, 100) == RunExit::kFinished);
  DEVICE_CHECK(vm.result() == 15);
}

}  // namespace

int main() {
  CheckArithmetic();
  CheckFuelAndResume();
  CheckRegionsAndHelpers();
  CheckLocalCalls();
  return tc::device_test::Finish("ebpf_selftest");
}
