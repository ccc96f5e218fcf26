// A small host-side eBPF assembler for the bpf_conformance test syntax (`mov %r0, 1`,
// `ldxw %r1, [%r2+4]`, `jne %r0, 0, label`, `lock fetch add [%r10-8], %r1`, `call local f`...),
// used by the conformance runner and the unit tests to write programs readably.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tc::bpf_asm {

struct Assembly {
  std::vector<uint8_t> code;  // instruction slots, little-endian
  std::string error;          // "line N: why" when assembling failed (code is then empty)
  bool ok() const { return error.empty(); }
};

// Labels are `name:` lines; `exit` names the first exit instruction unless defined explicitly.
// Comments start with '#'.
Assembly Assemble(std::string_view source);

// Encodes one slot (helper for tests that build programs by hand).
void EmitSlot(std::vector<uint8_t>& out, uint8_t opcode, uint8_t dst, uint8_t src, int16_t offset,
              int32_t imm);

}  // namespace tc::bpf_asm
