// Interpreter semantics beyond the conformance suite, run-time region checks, fuel and
// resumption, preemption, helpers (continue / block / trap) and bpf-to-bpf call limits.
#include <atomic>
#include <cstring>

#include "test_support.h"

namespace tc::ebpf {
namespace {

using runtime::HostAction;
using runtime::RunExit;
using runtime::TrapReason;
using testing::Asm;
using testing::Machine;
using testing::RunAsm;

TEST(EbpfVm, DivisionAndModuloByZeroFollowRfc9669) {
  EXPECT_EQ(RunAsm("mov %r0, 7\nmov %r1, 0\ndiv %r0, %r1\nexit"), 0u);
  EXPECT_EQ(RunAsm("lddw %r0, 0x100000007\nmov %r1, 0\ndiv32 %r0, %r1\nexit"), 0u);
  EXPECT_EQ(RunAsm("mov %r0, 7\nmov %r1, 0\nmod %r0, %r1\nexit"), 7u);
  EXPECT_EQ(RunAsm("lddw %r0, 0x100000007\nmov %r1, 0\nmod32 %r0, %r1\nexit"),
            7u);  // upper half cleared
  EXPECT_EQ(RunAsm("mov %r0, -7\nmov %r1, 0\nsdiv %r0, %r1\nexit"), 0u);
  EXPECT_EQ(RunAsm("mov %r0, -7\nmov %r1, 0\nsmod %r0, %r1\nexit"), static_cast<uint64_t>(-7));
}

TEST(EbpfVm, SignedDivisionOverflowWraps) {
  EXPECT_EQ(RunAsm("lddw %r0, 0x8000000000000000\nsdiv %r0, -1\nexit"), 0x8000000000000000u);
  EXPECT_EQ(RunAsm("lddw %r0, 0x8000000000000000\nsmod %r0, -1\nexit"), 0u);
  EXPECT_EQ(RunAsm("mov32 %r0, 0x80000000\nsdiv32 %r0, -1\nexit"), 0x80000000u);
  EXPECT_EQ(RunAsm("mov %r0, -13\nsmod %r0, 3\nexit"), static_cast<uint64_t>(-1));
  EXPECT_EQ(RunAsm("mov %r0, -13\nsdiv %r0, 3\nexit"), static_cast<uint64_t>(-4));
}

TEST(EbpfVm, ThirtyTwoBitResultsAreZeroExtended) {
  EXPECT_EQ(RunAsm("mov %r0, -1\nadd32 %r0, 0\nexit"), 0xffffffffu);
  EXPECT_EQ(RunAsm("mov %r0, -8\narsh32 %r0, 1\nexit"), 0xfffffffcu);
  EXPECT_EQ(RunAsm("mov %r0, 1\nlsh32 %r0, 33\nexit"), 2u);  // shift count masked to 5 bits
  EXPECT_EQ(RunAsm("mov %r0, 1\nlsh %r0, 65\nexit"), 2u);
}

TEST(EbpfVm, SignExtendingMovesAndLoads) {
  EXPECT_EQ(RunAsm("mov %r1, 0x80\nmovsx864 %r0, %r1\nexit"), 0xffffffffffffff80u);
  EXPECT_EQ(RunAsm("mov %r1, 0x80\nmovsx832 %r0, %r1\nexit"), 0xffffff80u);
  EXPECT_EQ(RunAsm("mov32 %r1, 0x80000000\nmovsx3264 %r0, %r1\nexit"), 0xffffffff80000000u);
  std::vector<uint8_t> input = {0xfe, 0xff, 0x00, 0x80};
  EXPECT_EQ(RunAsm("ldxsb %r0, [%r1]\nexit", input), static_cast<uint64_t>(-2));
  EXPECT_EQ(RunAsm("ldxsh %r0, [%r1+2]\nexit", input), 0xffffffffffff8000u);
  EXPECT_EQ(RunAsm("ldxsw %r0, [%r1]\nexit", input), 0xffffffff8000fffeu);
}

TEST(EbpfVm, ByteSwaps) {
  EXPECT_EQ(RunAsm("lddw %r0, 0x1122334455667788\nbe16 %r0\nexit"), 0x8877u);
  EXPECT_EQ(RunAsm("lddw %r0, 0x1122334455667788\nle32 %r0\nexit"), 0x55667788u);
  EXPECT_EQ(RunAsm("lddw %r0, 0x1122334455667788\nle64 %r0\nexit"), 0x1122334455667788u);
  EXPECT_EQ(RunAsm("lddw %r0, 0x1122334455667788\nbswap64 %r0\nexit"), 0x8877665544332211u);
}

TEST(EbpfVm, AtomicsOnTheStack) {
  EXPECT_EQ(RunAsm("mov %r1, 5\nstxdw [%r10-8], %r1\nmov %r2, 3\nlock fetch add [%r10-8], %r2\n"
                   "ldxdw %r0, [%r10-8]\nlsh %r0, 8\nor %r0, %r2\nexit"),
            (8u << 8) | 5u);
  EXPECT_EQ(
      RunAsm(
          "mov %r1, 5\nstxw [%r10-4], %r1\nmov %r0, 5\nmov %r2, 9\nlock cmpxchg32 [%r10-4], %r2\n"
          "ldxw %r3, [%r10-4]\nlsh %r0, 8\nor %r0, %r3\nexit"),
      (5u << 8) | 9u);
}

TEST(EbpfVm, LocalCallsGetTheirOwnFrameAndRestoreCalleeSaved) {
  EXPECT_EQ(
      RunAsm("mov %r6, 1\nstdw [%r10-8], 40\ncall local f\nldxdw %r1, [%r10-8]\nadd %r0, %r1\n"
             "add %r0, %r6\nexit\n"
             "f:\nstdw [%r10-8], 1000\nmov %r6, 77\nmov %r0, 2\nexit"),
      43u);
}

TEST(EbpfVm, CallDepthIsBounded) {
  Machine m(Asm("call local f\nexit\nf:\ncall local f\nexit"));
  EXPECT_EQ(m.Run(), RunExit::kTrapped);
  EXPECT_EQ(m.vm->trap_reason(), TrapReason::kCallStackExhausted);
  EXPECT_EQ(m.vm->pc(), 2u);
}

TEST(EbpfVm, SmallStackAllowsNoLocalCalls) {
  const auto code = Asm("call local f\nexit\nf:\nstdw [%r10-8], 1\nmov %r0, 1\nexit");
  Program program;
  program.code = code;
  auto verified = Verify(program, {});
  ASSERT_TRUE(verified.ok());
  alignas(8) uint8_t stack[64];
  Vm vm(*verified, stack);
  EXPECT_EQ(vm.Run({}, 100), RunExit::kTrapped);
  EXPECT_EQ(vm.trap_reason(), TrapReason::kCallStackExhausted);
}

// --- Memory regions: default deny ---

void ExpectDenied(const char* source, std::vector<uint8_t> input = {}) {
  SCOPED_TRACE(source);
  Machine m(Asm(source), {}, {1, 2, 3, 4, 5, 6, 7, 8}, {9, 10, 11, 12});
  EXPECT_EQ(m.Run(input), RunExit::kTrapped);
  EXPECT_EQ(m.vm->trap_reason(), TrapReason::kMemoryAccessDenied);
}

TEST(EbpfRegions, StackBoundsAreEnforced) {
  ExpectDenied("ldxb %r0, [%r10]\nexit");                               // one past the top
  ExpectDenied("stdw [%r10-4], 1\nexit");                               // straddles the top
  ExpectDenied("mov %r1, %r10\nsub %r1, 4609\nldxb %r0, [%r1]\nexit");  // below the whole stack
  EXPECT_EQ(RunAsm("stb [%r10-1], 7\nldxb %r0, [%r10-1]\nexit"), 7u);
}

TEST(EbpfRegions, InputBoundsAreEnforced) {
  ExpectDenied("ldxw %r0, [%r1+1]\nexit", {1, 2, 3, 4});
  ExpectDenied("ldxb %r0, [%r1-1]\nexit", {1, 2, 3, 4});
  ExpectDenied("ldxb %r0, [%r1]\nexit");  // no input: r1 = 0
  ExpectDenied("ldxdw %r0, [%r1]\nexit", {1, 2, 3, 4});
}

TEST(EbpfRegions, WildAddressesAreDenied) {
  ExpectDenied("lddw %r1, 0xffffffffffffff00\nldxb %r0, [%r1]\nexit");
  ExpectDenied("lddw %r1, 0x1000\nstb [%r1], 1\nexit");
  ExpectDenied("mov %r1, 0\nlock add [%r1+8], %r1\nexit");
  ExpectDenied("mov %r2, %r10\nlsh %r2, 1\nstxdw [%r2], %r1\nexit");
}

TEST(EbpfRegions, ReadOnlyDataCannotBeWritten) {
  // lddw src=6 imm=0: rodata; imm=1: data.
  auto code = testing::Slots({{0x18, 1, 6, 0, 0},
                              {0, 0, 0, 0, 2},
                              {0x71, 0, 1, 0, 0},
                              {0x72, 1, 0, 0, 9},
                              {0x95, 0, 0, 0, 0}});
  Machine m(code, {}, {1, 2, 3, 4, 5, 6, 7, 8}, {9, 10, 11, 12});
  EXPECT_EQ(m.Run(), RunExit::kTrapped);
  EXPECT_EQ(m.vm->trap_reason(), TrapReason::kMemoryAccessDenied);
  EXPECT_EQ(m.vm->pc(), 3u);
  EXPECT_EQ(m.vm->reg(0), 3u);  // the read before the write worked
}

TEST(EbpfRegions, DataSectionIsReadWriteWithinBounds) {
  auto code = testing::Slots({{0x18, 1, 6, 0, 1},
                              {0, 0, 0, 0, 1},
                              {0x72, 1, 0, 0, 42},
                              {0x71, 0, 1, 0, 0},
                              {0x71, 2, 1, 3, 0},
                              {0x95, 0, 0, 0, 0}});
  Machine m(code, {}, {}, {9, 10, 11, 12});
  EXPECT_EQ(m.Run(), RunExit::kTrapped);  // [data+1+3] is one past the end
  EXPECT_EQ(m.vm->pc(), 4u);
  EXPECT_EQ(m.rw[1], 42u);
}

TEST(EbpfRegions, GrantedRegionsFollowTheirAccess) {
  uint8_t device[4] = {0x11, 0x22, 0x33, 0x44};
  const uint64_t address = reinterpret_cast<uintptr_t>(device);
  Machine m(Asm("lddw %r1, " + std::to_string(address) + "\nldxw %r0, [%r1]\nstw [%r1], 0\nexit"));
  EXPECT_EQ(m.Run(), RunExit::kTrapped);  // not granted: even the read is denied
  EXPECT_EQ(m.vm->pc(), 2u);
  ASSERT_TRUE(m.vm->GrantRegion(device, sizeof device, kRead).ok());
  EXPECT_EQ(m.Run(), RunExit::kTrapped);  // granted read-only: the write is denied
  EXPECT_EQ(m.vm->pc(), 3u);
  EXPECT_EQ(m.vm->reg(0), 0x44332211u);
  EXPECT_EQ(device[0], 0x11u);
  EXPECT_EQ(m.vm->Translate(address + 1, 4, kRead), nullptr);
  m.vm->RevokeGrantedRegions();
  EXPECT_EQ(m.vm->Translate(address, 4, kRead), nullptr);
  uint8_t other[1];
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(m.vm->GrantRegion(device, 4, kReadWrite).ok());
  EXPECT_EQ(m.vm->GrantRegion(other, 1, kRead).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(m.vm->GrantRegion(nullptr, 1, kRead).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(m.Run(), RunExit::kFinished);
  EXPECT_EQ(device[0], 0u);
}

TEST(EbpfRegions, ReadOnlyInputCannotBeWritten) {
  Machine m(Asm("ldxb %r0, [%r1]\nstb [%r1], 1\nexit"));
  std::vector<uint8_t> input = {5};
  m.vm->Start(input, kRead);
  EXPECT_EQ(m.vm->Resume(100), RunExit::kTrapped);
  EXPECT_EQ(m.vm->pc(), 1u);
  EXPECT_EQ(input[0], 5u);
}

// --- Fuel, resumption, preemption ---

constexpr const char* kSumLoop =
    "mov %r0, 0\nmov %r1, 1000\nloop:\nadd %r0, %r1\nsub %r1, 1\njne %r1, 0, loop\nexit";

TEST(EbpfFuel, OutOfFuelStopsAndResumesExactly) {
  Machine reference(Asm(kSumLoop));
  ASSERT_EQ(reference.Run(), RunExit::kFinished);
  const uint64_t total = reference.vm->instructions_executed();
  EXPECT_EQ(total, 2u + 3u * 1000u + 1u);

  Machine m(Asm(kSumLoop));
  m.vm->Start({});
  uint64_t slices = 0;
  RunExit exit;
  while ((exit = m.vm->Resume(7)) == RunExit::kOutOfFuel) ++slices;
  EXPECT_EQ(exit, RunExit::kFinished);
  EXPECT_EQ(m.vm->result(), 500500u);
  EXPECT_EQ(m.vm->instructions_executed(), total);
  EXPECT_EQ(slices, (total - 1) / 7);  // the last slice ends with exit
}

TEST(EbpfFuel, ZeroFuelDoesNothing) {
  Machine m(Asm(kSumLoop));
  m.vm->Start({});
  EXPECT_EQ(m.vm->Resume(0), RunExit::kOutOfFuel);
  EXPECT_EQ(m.vm->pc(), 0u);
  EXPECT_EQ(m.vm->instructions_executed(), 0u);
}

TEST(EbpfFuel, FinishedAndTrappedRunsStayFinal) {
  Machine m(Asm("mov %r0, 3\nexit"));
  EXPECT_EQ(m.Run(), RunExit::kFinished);
  EXPECT_EQ(m.vm->Resume(10), RunExit::kFinished);
  Machine t(Asm("ldxb %r0, [%r1]\nexit"));
  EXPECT_EQ(t.Run(), RunExit::kTrapped);
  EXPECT_EQ(t.vm->Resume(10), RunExit::kTrapped);
}

TEST(EbpfPreempt, FlagSetBeforeTheRunStopsBeforeTheFirstInstruction) {
  Machine m(Asm(kSumLoop));
  std::atomic<bool> flag{true};
  m.vm->SetPreemptFlag(&flag);
  m.vm->Start({});
  EXPECT_EQ(m.vm->Resume(1'000'000), RunExit::kPreempted);
  EXPECT_EQ(m.vm->instructions_executed(), 0u);
  EXPECT_EQ(m.vm->pc(), 0u);
  flag = false;
  EXPECT_EQ(m.vm->Resume(1'000'000), RunExit::kFinished);
  EXPECT_EQ(m.vm->result(), 500500u);
}

// The guest itself raises the flag (it is granted the flag's byte), so the request arrives in
// the middle of straight-line code: the run must stop at the next check, kPreemptInterval
// instructions after the start.
TEST(EbpfPreempt, FlagRaisedMidRunStopsWithinTheInterval) {
  std::atomic<bool> flag{false};
  const uint64_t address = reinterpret_cast<uintptr_t>(&flag);
  std::string source = "lddw %r1, " + std::to_string(address) + "\nstb [%r1], 1\n";
  for (int i = 0; i < 100; ++i) source += "add %r0, 1\n";
  source += "exit\n";
  Machine m(Asm(source));
  m.vm->SetPreemptFlag(&flag);
  ASSERT_TRUE(m.vm->GrantRegion(&flag, sizeof flag, kReadWrite).ok());
  m.vm->Start({});
  EXPECT_EQ(m.vm->Resume(1'000'000), RunExit::kPreempted);
  EXPECT_EQ(m.vm->instructions_executed(), Vm::kPreemptInterval);
  EXPECT_EQ(m.vm->reg(0), Vm::kPreemptInterval - 2);
  flag = false;
  EXPECT_EQ(m.vm->Resume(1'000'000), RunExit::kFinished);
  EXPECT_EQ(m.vm->result(), 100u);
}

// --- Helpers ---

struct Recorder {
  uint64_t args[5] = {};
  int calls = 0;
  HostAction answer = HostAction::kContinue;
};

HostAction Record(void* context, Vm&, const uint64_t* args, uint64_t* result) {
  auto* r = static_cast<Recorder*>(context);
  std::memcpy(r->args, args, sizeof r->args);
  ++r->calls;
  *result = 1000 + r->calls;
  return r->answer;
}

HostAction SumBuffer(void*, Vm& vm, const uint64_t* args, uint64_t* result) {
  const uint8_t* p = vm.Translate(args[0], static_cast<uint32_t>(args[1]), kRead);
  if (p == nullptr) return HostAction::kTrap;
  uint64_t sum = 0;
  for (uint64_t i = 0; i < args[1]; ++i) sum += p[i];
  *result = sum;
  return HostAction::kContinue;
}

TEST(EbpfHelpers, ArgumentsAndResultFlowThroughRegisters) {
  Recorder recorder;
  const Helper helpers[] = {{}, {}, {&Record, &recorder}};
  Machine m(Asm("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\ncall 2\nexit"),
            helpers);
  EXPECT_EQ(m.Run(), RunExit::kFinished);
  EXPECT_EQ(m.vm->result(), 1001u);
  EXPECT_EQ(recorder.args[0], 1u);
  EXPECT_EQ(recorder.args[4], 5u);
}

TEST(EbpfHelpers, HelperChecksGuestBuffers) {
  const Helper helpers[] = {{&SumBuffer, nullptr}};
  std::vector<uint8_t> input = {1, 2, 3};
  Machine ok(Asm("call 0\nexit"), helpers);
  EXPECT_EQ(ok.Run(input), RunExit::kFinished);
  EXPECT_EQ(ok.vm->result(), 6u);
  Machine bad(Asm("add %r2, 1\ncall 0\nexit"), helpers);
  EXPECT_EQ(bad.Run(input), RunExit::kTrapped);
  EXPECT_EQ(bad.vm->trap_reason(), TrapReason::kHostFault);
  EXPECT_EQ(bad.vm->pc(), 1u);
}

TEST(EbpfHelpers, BlockingHelperResumesWithItsResult) {
  Recorder recorder;
  recorder.answer = HostAction::kBlock;
  const Helper helpers[] = {{&Record, &recorder}};
  Machine m(Asm("call 0\nadd %r0, 1\nexit"), helpers);
  EXPECT_EQ(m.Run(), RunExit::kBlocked);
  EXPECT_EQ(m.vm->pc(), 1u);
  m.vm->SetBlockedResult(41);
  EXPECT_EQ(m.vm->Resume(100), RunExit::kFinished);
  EXPECT_EQ(m.vm->result(), 42u);
  EXPECT_EQ(recorder.calls, 1);
}

TEST(EbpfHelpers, CallxChecksTheHelperIdAtRunTime) {
  Recorder recorder;
  const Helper helpers[] = {{}, {&Record, &recorder}};
  Machine good(Asm("mov %r3, 1\ncall %r3\nexit"), helpers);
  EXPECT_EQ(good.Run(), RunExit::kFinished);
  EXPECT_EQ(good.vm->result(), 1001u);
  for (const char* id : {"0", "2", "-1"}) {
    Machine bad(Asm(std::string("mov %r3, ") + id + "\ncall %r3\nexit"), helpers);
    EXPECT_EQ(bad.Run(), RunExit::kTrapped);
    EXPECT_EQ(bad.vm->trap_reason(), TrapReason::kInvalidHelper);
  }
}

HostAction RaiseFlag(void* context, Vm&, const uint64_t*, uint64_t* result) {
  static_cast<std::atomic<bool>*>(context)->store(true);
  *result = 0;
  return HostAction::kContinue;
}

TEST(EbpfHelpers, HelperCallIsAPreemptionPoint) {
  std::atomic<bool> flag{false};
  const Helper helpers[] = {{&RaiseFlag, &flag}};
  Machine m(Asm("call 0\nmov %r0, 7\nexit"), helpers);
  m.vm->SetPreemptFlag(&flag);
  EXPECT_EQ(m.Run(), RunExit::kPreempted);
  EXPECT_EQ(m.vm->pc(), 1u);
  flag = false;
  EXPECT_EQ(m.vm->Resume(10), RunExit::kFinished);
  EXPECT_EQ(m.vm->result(), 7u);
}

}  // namespace
}  // namespace tc::ebpf
