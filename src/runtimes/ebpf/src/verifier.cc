#include "tc/ebpf/verifier.h"

#include "tc/ebpf/instruction.h"

namespace tc::ebpf {
namespace {

// Fields an instruction does not use (src of an imm form, imm of a register form, offsets of
// operations without one, the second half of lddw...) must be zero, as RFC 9669 requires.
constexpr const char* kReservedField = "unused instruction field is not zero";

Status Invalid(const char* why, uint32_t pc) { return Status(ErrorCode::kInvalid, why, pc); }

// Facts about the whole program that single-instruction checks need.
struct Context {
  const Program& program;
  HelperTable helpers;
  uint32_t slots;

  Instruction At(uint32_t pc) const { return Decode(program.code.data() + pc * kSlotSize); }

  // Second halves of lddw must have opcode 0 (checked for every lddw), so a slot is one exactly
  // when the slot before it carries the lddw opcode.
  bool IsLddwSecondHalf(uint32_t slot) const {
    return slot > 0 && program.code[(slot - 1) * kSlotSize] == op::kLddw;
  }

  Status CheckTarget(uint32_t pc, int64_t relative) const {
    int64_t target = static_cast<int64_t>(pc) + 1 + relative;
    if (target < 0 || target >= slots) return Invalid("jump target outside the program", pc);
    if (IsLddwSecondHalf(static_cast<uint32_t>(target))) {
      return Invalid("jump target is the second half of lddw", pc);
    }
    return Status::Ok();
  }
};

Status CheckEntry(const Context& ctx, uint32_t slot) {
  if (slot >= ctx.slots || ctx.IsLddwSecondHalf(slot)) {
    return Status(ErrorCode::kOutOfRange, "entry point outside the program", slot);
  }
  return Status::Ok();
}

Status CheckReadable(uint8_t reg, uint32_t pc) {
  return reg < kRegisterCount ? Status::Ok() : Invalid("register number above r10", pc);
}

Status CheckWritable(uint8_t reg, uint32_t pc) {
  if (reg == kFramePointer) return Invalid("r10 (frame pointer) is read-only", pc);
  return CheckReadable(reg, pc);
}

// The second operand of arithmetic and conditional jumps: a register (imm unused) or imm.
Status CheckSource(const Instruction& in, uint32_t pc) {
  if (in.opcode & op::kSourceReg) {
    if (in.imm != 0) return Invalid(kReservedField, pc);
    return CheckReadable(in.src, pc);
  }
  return in.src == 0 ? Status::Ok() : Invalid(kReservedField, pc);
}

Status CheckArithmetic(const Instruction& in, uint32_t pc) {
  const bool is64 = op::Class(in.opcode) == op::kAlu64;
  const uint8_t operation = op::Operation(in.opcode);
  TC_RETURN_IF_ERROR(CheckWritable(in.dst, pc));
  if (operation > op::kEnd) return Invalid("unknown arithmetic operation", pc);
  if (operation == op::kEnd) {
    if (is64 && (in.opcode & op::kSourceReg)) return Invalid("unknown byte swap", pc);
    if (in.src != 0 || in.offset != 0) return Invalid(kReservedField, pc);
    if (in.imm != 16 && in.imm != 32 && in.imm != 64)
      return Invalid("byte swap width not 16/32/64", pc);
    return Status::Ok();
  }
  if (operation == op::kNeg) {
    if ((in.opcode & op::kSourceReg) || in.src != 0 || in.imm != 0 || in.offset != 0) {
      return Invalid(kReservedField, pc);
    }
    return Status::Ok();
  }
  TC_RETURN_IF_ERROR(CheckSource(in, pc));
  if (in.offset == 0) return Status::Ok();
  if ((operation == op::kDiv || operation == op::kMod) && in.offset == 1) return Status::Ok();
  if (operation == op::kMov && (in.opcode & op::kSourceReg) &&
      (in.offset == 8 || in.offset == 16 || (is64 && in.offset == 32))) {
    return Status::Ok();
  }
  return Invalid("offset not allowed for this arithmetic operation", pc);
}

Status CheckCall(const Context& ctx, const Instruction& in, uint32_t pc) {
  if (in.opcode & op::kSourceReg) {  // callx: the helper id is in the dst register
    if (in.src != 0 || in.offset != 0 || in.imm != 0) return Invalid(kReservedField, pc);
    return CheckReadable(in.dst, pc);
  }
  if (in.dst != 0 || in.offset != 0) return Invalid(kReservedField, pc);
  if (in.src == op::kCallLocal) return ctx.CheckTarget(pc, in.imm);
  if (in.src != op::kCallHelper) {
    return Status(ErrorCode::kUnsupported, "call by BTF id is not supported", pc);
  }
  if (in.imm < 0 || FindHelper(ctx.helpers, static_cast<uint32_t>(in.imm)) == nullptr) {
    return Status(ErrorCode::kPermissionDenied, "helper id not in the embedder's allow-list", pc);
  }
  return Status::Ok();
}

Status CheckJump(const Context& ctx, const Instruction& in, uint32_t pc) {
  const bool is32 = op::Class(in.opcode) == op::kJmp32;
  const uint8_t operation = op::Operation(in.opcode);
  switch (operation) {
    case op::kJa:
      if ((in.opcode & op::kSourceReg) || in.src != 0 || in.dst != 0) {
        return Invalid(kReservedField, pc);
      }
      if (is32) {  // ja32 (gotol): the offset is in imm
        if (in.offset != 0) return Invalid(kReservedField, pc);
        return ctx.CheckTarget(pc, in.imm);
      }
      if (in.imm != 0) return Invalid(kReservedField, pc);
      return ctx.CheckTarget(pc, in.offset);
    case op::kCall:
      if (is32) return Invalid("unknown jump operation", pc);
      return CheckCall(ctx, in, pc);
    case op::kExit:
      if (is32) return Invalid("unknown jump operation", pc);
      if (in.opcode != (op::kJmp | (op::kExit << 4)) || in.src != 0 || in.dst != 0 ||
          in.offset != 0 || in.imm != 0) {
        return Invalid(kReservedField, pc);
      }
      return Status::Ok();
    case 0xe:
    case 0xf: return Invalid("unknown jump operation", pc);
    default:
      TC_RETURN_IF_ERROR(CheckReadable(in.dst, pc));
      TC_RETURN_IF_ERROR(CheckSource(in, pc));
      return ctx.CheckTarget(pc, in.offset);
  }
}

Status CheckLddw(const Context& ctx, const Instruction& in, uint32_t pc) {
  if (in.opcode != op::kLddw) return Invalid("unknown load operation (legacy packet access?)", pc);
  if (pc + 1 >= ctx.slots) return Invalid("lddw truncated at the end of the program", pc);
  const Instruction next = ctx.At(pc + 1);
  if (next.opcode != 0 || next.dst != 0 || next.src != 0 || next.offset != 0) {
    return Invalid(kReservedField, pc + 1);
  }
  TC_RETURN_IF_ERROR(CheckWritable(in.dst, pc));
  if (in.offset != 0) return Invalid(kReservedField, pc);
  if (in.src == op::kLddwImm64) return Status::Ok();
  if (in.src != op::kLddwSectionValue) {
    return Status(ErrorCode::kUnsupported, "lddw form not supported (maps, BTF, code addresses)",
                  pc);
  }
  size_t section_size = 0;
  if (in.imm == 0) {
    section_size = ctx.program.rodata.size();
  } else if (in.imm == 1) {
    section_size = ctx.program.data.size();
  } else {
    return Invalid("lddw names a data section other than rodata (0) or data (1)", pc);
  }
  if (static_cast<uint32_t>(next.imm) > section_size) {
    return Invalid("lddw offset lies beyond its data section", pc);
  }
  return Status::Ok();
}

Status CheckMemory(const Instruction& in, uint32_t pc) {
  const uint8_t mode = in.opcode & op::kModeMask;
  const uint8_t size = in.opcode & op::kSizeMask;
  switch (op::Class(in.opcode)) {
    case op::kLdx:
      if (mode != op::kModeMem && !(mode == op::kModeMemSx && size != op::kSizeDw)) {
        return Invalid("unknown load mode", pc);
      }
      if (in.imm != 0) return Invalid(kReservedField, pc);
      TC_RETURN_IF_ERROR(CheckWritable(in.dst, pc));
      return CheckReadable(in.src, pc);
    case op::kSt:
      if (mode != op::kModeMem) return Invalid("unknown store mode", pc);
      if (in.src != 0) return Invalid(kReservedField, pc);
      return CheckReadable(in.dst, pc);
    default:  // kStx
      TC_RETURN_IF_ERROR(CheckReadable(in.dst, pc));
      TC_RETURN_IF_ERROR(CheckReadable(in.src, pc));
      if (mode == op::kModeMem) {
        return in.imm == 0 ? Status::Ok() : Invalid(kReservedField, pc);
      }
      if (mode != op::kModeAtomic) return Invalid("unknown store mode", pc);
      if (size != op::kSizeW && size != op::kSizeDw)
        return Invalid("atomic access must be 32 or 64 bits", pc);
      switch (in.imm & ~op::kAtomicFetch) {
        case op::kAdd << 4:
        case op::kOr << 4:
        case op::kAnd << 4:
        case op::kXor << 4: break;
        case op::kAtomicXchg & ~op::kAtomicFetch:
        case op::kAtomicCmpXchg & ~op::kAtomicFetch:
          if (!(in.imm & op::kAtomicFetch)) return Invalid("unknown atomic operation", pc);
          break;
        default: return Invalid("unknown atomic operation", pc);
      }
      // A fetching atomic writes the old value back into src.
      return (in.imm & op::kAtomicFetch) ? CheckWritable(in.src, pc) : Status::Ok();
  }
}

}  // namespace

Result<VerifiedProgram> Verify(const Program& program, HelperTable helpers,
                               const VerifyLimits& limits) {
  if (program.code.empty()) return Status(ErrorCode::kInvalid, "program has no instructions");
  if (program.code.size() % kSlotSize != 0) {
    return Status(ErrorCode::kMalformed, "code size is not a multiple of 8 bytes",
                  static_cast<uint32_t>(program.code.size()));
  }
  const Context ctx{program, helpers, program.slot_count()};
  if (ctx.slots > limits.max_slots) {
    return Status(ErrorCode::kOutOfRange, "program has more instructions than allowed",
                  limits.max_slots);
  }
  for (uint32_t pc = 0; pc < ctx.slots; ++pc) {
    const Instruction in = ctx.At(pc);
    switch (op::Class(in.opcode)) {
      case op::kAlu:
      case op::kAlu64: TC_RETURN_IF_ERROR(CheckArithmetic(in, pc)); break;
      case op::kJmp:
      case op::kJmp32: TC_RETURN_IF_ERROR(CheckJump(ctx, in, pc)); break;
      case op::kLd:
        TC_RETURN_IF_ERROR(CheckLddw(ctx, in, pc));
        ++pc;
        break;
      default: TC_RETURN_IF_ERROR(CheckMemory(in, pc)); break;
    }
  }
  const uint32_t last = ctx.slots - 1;
  const uint8_t last_opcode = program.code[last * kSlotSize];
  if (ctx.IsLddwSecondHalf(last) || (last_opcode != (op::kJmp | (op::kExit << 4)) &&
                                     last_opcode != op::kJmp && last_opcode != op::kJmp32)) {
    return Invalid("program must end in exit or an unconditional jump", last);
  }
  TC_RETURN_IF_ERROR(CheckEntry(ctx, program.entry));
  return VerifiedProgram(program, helpers);
}

Result<EntryPoint> VerifiedProgram::EntryAt(uint32_t slot) const {
  const Context ctx{program_, helpers_, program_.slot_count()};
  TC_RETURN_IF_ERROR(CheckEntry(ctx, slot));
  return EntryPoint(slot);
}

}  // namespace tc::ebpf
