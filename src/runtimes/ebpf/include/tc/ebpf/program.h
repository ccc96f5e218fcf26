// What a program is (code + its data sections + an entry point) and how it reaches the
// embedder's helper functions. A Program is only a view: the bytes belong to the caller.
#pragma once

#include <cstdint>
#include <span>

#include "tc/runtime/execution.h"

namespace tc::ebpf {

class Vm;

struct Program {
  std::span<const uint8_t> code;    // instruction slots, a multiple of 8 bytes
  std::span<const uint8_t> rodata;  // read-only data section (region index 0)
  std::span<uint8_t> data;          // writable data section incl. zeroed .bss (region index 1)
  uint32_t entry = 0;               // slot index of the first instruction to run

  uint32_t slot_count() const { return static_cast<uint32_t>(code.size() / 8); }
};

// A helper reads its arguments r1..r5 from `args` and writes its result (r0) to `*result`.
// Buffers passed by the guest are plain guest addresses: check them with Vm::Translate().
using HelperFunction = runtime::HostAction (*)(void* context, Vm& vm, const uint64_t* args,
                                               uint64_t* result);

struct Helper {
  HelperFunction function = nullptr;
  void* context = nullptr;
};

// The embedder's allow-list: helper id N is entry N of the table; ids past the end or entries
// without a function are not available to the program.
using HelperTable = std::span<const Helper>;

inline const Helper* FindHelper(HelperTable helpers, uint64_t id) {
  if (id >= helpers.size()) return nullptr;
  const Helper& helper = helpers[static_cast<size_t>(id)];
  return helper.function != nullptr ? &helper : nullptr;
}

}  // namespace tc::ebpf
