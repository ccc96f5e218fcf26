// The RFC 9669 instruction encoding: one 8-byte slot per instruction (lddw takes two), fields
// little-endian. Code stays in its original bytes (it may live in flash); Decode() reads one slot
// without any alignment assumption.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace tc::ebpf {

static_assert(std::endian::native == std::endian::little, "eBPF byte order is little-endian");

inline constexpr uint32_t kSlotSize = 8;
inline constexpr uint8_t kRegisterCount = 11;  // r0..r10
inline constexpr uint8_t kFramePointer = 10;   // r10, read-only

struct Instruction {
  uint8_t opcode;
  uint8_t dst;
  uint8_t src;
  int16_t offset;
  int32_t imm;
};

inline Instruction Decode(const uint8_t* slot) {
  int16_t offset;
  int32_t imm;
  std::memcpy(&offset, slot + 2, sizeof offset);
  std::memcpy(&imm, slot + 4, sizeof imm);
  return Instruction{slot[0], static_cast<uint8_t>(slot[1] & 0x0f),
                     static_cast<uint8_t>(slot[1] >> 4), offset, imm};
}

// Opcode fields (RFC 9669 section 3).
namespace op {
inline constexpr uint8_t kClassMask = 0x07;
inline constexpr uint8_t kLd = 0x00;
inline constexpr uint8_t kLdx = 0x01;
inline constexpr uint8_t kSt = 0x02;
inline constexpr uint8_t kStx = 0x03;
inline constexpr uint8_t kAlu = 0x04;
inline constexpr uint8_t kJmp = 0x05;
inline constexpr uint8_t kJmp32 = 0x06;
inline constexpr uint8_t kAlu64 = 0x07;

// Arithmetic and jump instructions: source bit and operation (upper four bits).
inline constexpr uint8_t kSourceReg = 0x08;
inline constexpr uint8_t kAdd = 0x0, kSub = 0x1, kMul = 0x2, kDiv = 0x3, kOr = 0x4, kAnd = 0x5,
                         kLsh = 0x6, kRsh = 0x7, kNeg = 0x8, kMod = 0x9, kXor = 0xa, kMov = 0xb,
                         kArsh = 0xc, kEnd = 0xd;
inline constexpr uint8_t kJa = 0x0, kJeq = 0x1, kJgt = 0x2, kJge = 0x3, kJset = 0x4, kJne = 0x5,
                         kJsgt = 0x6, kJsge = 0x7, kCall = 0x8, kExit = 0x9, kJlt = 0xa, kJle = 0xb,
                         kJslt = 0xc, kJsle = 0xd;

// Load and store instructions: size and mode.
inline constexpr uint8_t kSizeMask = 0x18;
inline constexpr uint8_t kSizeW = 0x00, kSizeH = 0x08, kSizeB = 0x10, kSizeDw = 0x18;
inline constexpr uint8_t kModeMask = 0xe0;
inline constexpr uint8_t kModeImm = 0x00, kModeMem = 0x60, kModeAtomic = 0xc0, kModeMemSx = 0x80;

// Atomic operations (imm of an atomic store).
inline constexpr int32_t kAtomicFetch = 0x01;
inline constexpr int32_t kAtomicXchg = 0xe0 | kAtomicFetch;
inline constexpr int32_t kAtomicCmpXchg = 0xf0 | kAtomicFetch;

inline constexpr uint8_t kLddw = kLd | kModeImm | kSizeDw;  // 0x18

// call src values and lddw src values this runtime understands.
inline constexpr uint8_t kCallHelper = 0;
inline constexpr uint8_t kCallLocal = 1;
inline constexpr uint8_t kLddwImm64 = 0;
// dst = address of program data section `imm` (0 = rodata, 1 = data) + next_imm. RFC 9669 names
// this form map_val(map_by_idx(imm)) + next_imm; the ELF loader rewrites data references to it.
inline constexpr uint8_t kLddwSectionValue = 6;

constexpr uint8_t Class(uint8_t opcode) { return opcode & kClassMask; }
constexpr uint8_t Operation(uint8_t opcode) { return opcode >> 4; }
constexpr uint32_t AccessSize(uint8_t opcode) {
  return (opcode & kSizeMask) == kSizeB   ? 1
         : (opcode & kSizeMask) == kSizeH ? 2
         : (opcode & kSizeMask) == kSizeW ? 4
                                          : 8;
}
}  // namespace op

}  // namespace tc::ebpf
