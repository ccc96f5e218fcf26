// The interpreter's internal instruction set. Numeric, memory and variable instructions keep
// their WebAssembly opcode; control flow is rewritten into jumps with precomputed targets and
// stack adjustments. Every instruction is one 32-bit word followed by its immediates.
#pragma once

#include <cstdint>

namespace tc::wasm::op {

enum : uint32_t {
  kUnreachable = 0x00,
  kBr = 0x0C,       // rel
  kBrIf = 0x0D,     // rel
  kBrTable = 0x0E,  // count, then count+1 entries of (keep, drop, rel)
  kReturn = 0x0F,
  kCall = 0x10,          // function index
  kCallIndirect = 0x11,  // type index
  kDrop = 0x1A,
  kSelect = 0x1B,
  kLocalGet = 0x20,  // slot
  kLocalSet = 0x21,
  kLocalTee = 0x22,
  kGlobalGet = 0x23,  // global index
  kGlobalSet = 0x24,
  // 0x28..0x3E loads/stores: offset
  kMemorySize = 0x3F,
  kMemoryGrow = 0x40,
  kI32Const = 0x41,  // value
  kI64Const = 0x42,  // low, high
  kF32Const = 0x43,
  kF64Const = 0x44,
  // 0x45..0xC4 numeric instructions, no immediates
  kBrMove = 0xC5,       // keep, drop, rel
  kBrIfMove = 0xC6,     // keep, drop, rel
  kBrUnless = 0xC7,     // rel (the `if` of a block)
  kFuel = 0xC8,         // cost: a safe point (function entry, loop header)
  kPrefixBase = 0xD0,   // 0xFC-prefixed instruction n becomes kPrefixBase + n
  kMemoryInit = kPrefixBase + 8,   // segment
  kDataDrop = kPrefixBase + 9,     // segment
  kMemoryCopy = kPrefixBase + 10,
  kMemoryFill = kPrefixBase + 11,
  kTableInit = kPrefixBase + 12,   // segment
  kElemDrop = kPrefixBase + 13,    // segment
  kTableCopy = kPrefixBase + 14,
  kCount = kPrefixBase + 18,
};

}  // namespace tc::wasm::op
