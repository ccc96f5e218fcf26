// The interpreter's internal instruction set: a slot machine. Every operand-stack position and
// local of a frame is a fixed slot (frame pointer + index) known at compile time, so each
// instruction names its operand and result slots and the interpreter keeps no stack pointer.
// Numeric, memory and variable instructions keep their WebAssembly opcode; control flow becomes
// jumps with precomputed targets and slot moves. One 32-bit word per opcode and per immediate;
// the layouts are listed in docs/wasm.md.
#pragma once

#include <cstdint>

namespace tc::wasm::op {

enum : uint32_t {
  kUnreachable = 0x00,
  kBr = 0x0C,            // rel
  kBrIf = 0x0D,          // cond, rel
  kBrTable = 0x0E,       // index, count, then count+1 entries of (values, from, to, rel)
  kReturn = 0x0F,        // from: results are the slots from..from+n
  kCall = 0x10,          // function index, first argument slot
  kCallIndirect = 0x11,  // type index, table index slot, first argument slot
  kSelect = 0x1B,        // dst, a, b, cond
  // local.get/set/tee compile to slot operands and kCopy
  kGlobalGet = 0x23,  // dst, global index
  kGlobalSet = 0x24,  // src, global index
  // 0x28..0x35 loads: dst, address, offset; 0x36..0x3E stores: address, value, offset
  kMemorySize = 0x3F,  // dst
  kMemoryGrow = 0x40,  // dst, delta
  kI32Const = 0x41,    // dst, value
  kI64Const = 0x42,    // dst, low, high
  // 0x45..0xC4 numeric instructions: dst, a[, b]
  kBrMove = 0xC5,    // values, from, to, rel
  kBrIfMove = 0xC6,  // cond, values, from, to, rel
  kBrUnless = 0xC7,  // cond, rel (the `if` of a block)
  kFuel = 0xC8,      // cost: a safe point (function entry, loop header)
  kCopy = 0xC9,      // dst, src
  // 0xFC-prefixed instruction n becomes kPrefixBase + n. trunc_sat: dst, a. The bulk operations
  // take their three i32 operand slots then a segment index (unused by the copies and the fill).
  kPrefixBase = 0xD0,
  kMemoryInit = kPrefixBase + 8,
  kDataDrop = kPrefixBase + 9,  // segment
  kMemoryCopy = kPrefixBase + 10,
  kMemoryFill = kPrefixBase + 11,
  kTableInit = kPrefixBase + 12,
  kElemDrop = kPrefixBase + 13,  // segment
  kTableCopy = kPrefixBase + 14,
  // i32 binary operations with a constant right operand: dst, a, imm. For the compares
  // (0x46..0x4F) and arithmetic (0x6A..0x78), ImmOf(opcode).
  kImmBase = kPrefixBase + 18,
  // A compare fused with the branch that consumes it: a, b|imm, rel (eqz: a, rel). Index:
  // compare 0x46..0x4F -> 0..9, the same with an immediate -> 10..19, eqz -> 20. An `if`
  // branches on the inverse compare (InverseCompare), so there is no "branch unless" family.
  kBrIfCmpBase = kImmBase + 25,
  // A load whose address is `base + addend` (an i32.add of a constant folded in, wrapping at
  // 32 bits as the add would): load 0x28 + n becomes kLoadAddBase + n: dst, base, offset, addend.
  kLoadAddBase = kBrIfCmpBase + 21,
  // The same for stores: store 0x36 + n becomes kStoreAddBase + n: base, value, offset, addend.
  kStoreAddBase = kLoadAddBase + 14,
  kCount = kStoreAddBase + 9,
};

// Division, remainder and rotates keep only the slot form (rare with constants; smaller code).
constexpr bool HasImmForm(uint32_t opcode) {
  return (opcode >= 0x46 && opcode <= 0x4F) ||
         (opcode >= 0x6A && opcode <= 0x76 && !(opcode >= 0x6D && opcode <= 0x70));
}
constexpr uint32_t ImmOf(uint32_t opcode) {
  return kImmBase + (opcode <= 0x4F ? opcode - 0x46 : 10 + opcode - 0x6A);
}
// The compare index testing the opposite condition (eq<->ne, lt<->ge, gt<->le); eqz has none.
constexpr uint32_t InverseCompare(uint32_t index) {
  constexpr uint32_t kInverse[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};
  return index == 20 ? 20 : (index >= 10 ? 10 + kInverse[index - 10] : kInverse[index]);
}
constexpr bool IsImmCompare(uint32_t op) { return op >= kImmBase && op < kImmBase + 10; }
// The fused-branch index of a compare instruction (plain or immediate), or UINT32_MAX.
constexpr uint32_t CompareIndex(uint32_t op) {
  if (op == 0x45) return 20;
  if (op >= 0x46 && op <= 0x4F) return op - 0x46;
  if (IsImmCompare(op)) return 10 + op - kImmBase;
  return UINT32_MAX;
}

}  // namespace tc::wasm::op
