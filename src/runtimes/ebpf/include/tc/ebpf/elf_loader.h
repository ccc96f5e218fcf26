// Loads an ELF64 relocatable object from `clang -target bpf -O2 -c` into a Program: .text is
// copied and relocated, read-only sections (.rodata*) and writable ones (.data*, .bss*) are laid
// out in caller-provided storage. The ELF bytes are hostile input: every offset, size, index and
// string is bounds-checked, and errors name the byte offset in the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/result.h"
#include "tc/ebpf/program.h"

namespace tc::ebpf {

struct ElfLimits {
  uint32_t max_sections = 64;
  uint32_t max_relocations = 4096;
};

// Bytes of storage LoadElf() needs for this object (code + rodata + data, each 8-aligned).
Result<size_t> ElfStorageSize(std::span<const uint8_t> elf, const ElfLimits& limits = {});

// `entry` names the function to start at; when null the object must define exactly one global
// function in .text. Data references (R_BPF_64_64) become section-relative lddw (src 6), calls to
// global functions (R_BPF_64_32) become local calls. The Program's spans point into `storage`.
Result<Program> LoadElf(std::span<const uint8_t> elf, std::span<uint8_t> storage,
                        const char* entry = nullptr, const ElfLimits& limits = {});

// The slot in the loaded code where the function `name` starts (LoadElf's `entry` rule), so a
// program with several entry points (tc_init, tc_loop, tc_stop) is loaded once. kNotFound when
// the object has no such function in .text.
Result<uint32_t> ElfFunctionSlot(std::span<const uint8_t> elf, const char* name,
                                 const ElfLimits& limits = {});

}  // namespace tc::ebpf
