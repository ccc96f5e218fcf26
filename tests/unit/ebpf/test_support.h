// Shared pieces of the eBPF unit tests: assemble a program, verify it against a helper table and
// run it in a Vm with a full-depth stack.
#pragma once

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "tc/bpf_asm/assembler.h"
#include "tc/ebpf/verifier.h"
#include "tc/ebpf/vm.h"

namespace tc::ebpf::testing {

inline std::vector<uint8_t> Asm(std::string_view source) {
  auto assembly = bpf_asm::Assemble(source);
  EXPECT_TRUE(assembly.ok()) << assembly.error;
  return assembly.code;
}

inline std::vector<uint8_t> Slots(std::initializer_list<std::initializer_list<int64_t>> slots) {
  std::vector<uint8_t> code;
  for (const auto& s : slots) {
    const int64_t* f = s.begin();
    bpf_asm::EmitSlot(code, static_cast<uint8_t>(f[0]), static_cast<uint8_t>(f[1]),
                      static_cast<uint8_t>(f[2]), static_cast<int16_t>(f[3]),
                      static_cast<int32_t>(f[4]));
  }
  return code;
}

inline Status VerifyCode(const std::vector<uint8_t>& code, HelperTable helpers = {}) {
  Program program;
  program.code = code;
  auto verified = Verify(program, helpers);
  return verified.ok() ? Status::Ok() : verified.status();
}

// A verified program plus a Vm over it, kept together so the spans stay valid.
struct Machine {
  explicit Machine(std::vector<uint8_t> bytes, HelperTable helpers = {},
                   std::vector<uint8_t> rodata = {}, std::vector<uint8_t> data = {})
      : code(std::move(bytes)), ro(std::move(rodata)), rw(std::move(data)) {
    Program program;
    program.code = code;
    program.rodata = ro;
    program.data = rw;
    auto result = Verify(program, helpers);
    EXPECT_TRUE(result.ok()) << result.status().message() << " at " << result.status().position();
    if (result.ok()) {
      verified.emplace(*result);
      vm.emplace(*verified, stack_memory);
    }
  }
  runtime::RunExit Run(std::span<uint8_t> input = {}, uint64_t fuel = 1'000'000) {
    if (!vm) return runtime::RunExit::kTrapped;
    return vm->Run(input, fuel);
  }

  std::vector<uint8_t> code, ro, rw;
  std::optional<VerifiedProgram> verified;
  alignas(8) uint8_t stack_memory[Vm::kFrameSize * (Vm::kMaxCallDepth + 1)] = {};
  std::optional<Vm> vm;
};

// Runs `source` to completion and returns r0 (fails the test on a trap).
inline uint64_t RunAsm(std::string_view source, std::vector<uint8_t> input = {}) {
  Machine m(Asm(source));
  const runtime::RunExit exit = m.Run(input);
  EXPECT_EQ(exit, runtime::RunExit::kFinished) << runtime::ToString(m.vm->trap_reason());
  return m.vm ? m.vm->result() : 0;
}

}  // namespace tc::ebpf::testing
