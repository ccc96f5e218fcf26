#include "tc/ebpf/vm.h"

#include <cstring>
#include <type_traits>

#include "tc/ebpf/instruction.h"

namespace tc::ebpf {
namespace {

using runtime::HostAction;
using runtime::RunExit;
using runtime::TrapReason;

// One template serves ALU (U = uint32_t) and ALU64 (U = uint64_t): 32-bit operations then use
// the target's native 32-bit arithmetic and division, and the result is zero-extended.
template <typename U>
U Arithmetic(uint8_t operation, int16_t offset, U a, U b) {
  using S = std::make_signed_t<U>;
  constexpr U kShiftMask = sizeof(U) * 8 - 1;
  switch (operation) {
    case op::kAdd: return a + b;
    case op::kSub: return a - b;
    case op::kMul: return a * b;
    case op::kDiv:  // RFC 9669: x / 0 = 0; signed INT_MIN / -1 wraps to INT_MIN
      if (b == 0) return 0;
      if (offset == 0) return a / b;
      return b == static_cast<U>(-1) ? U(0) - a
                                     : static_cast<U>(static_cast<S>(a) / static_cast<S>(b));
    case op::kOr: return a | b;
    case op::kAnd: return a & b;
    case op::kLsh: return a << (b & kShiftMask);
    case op::kRsh: return a >> (b & kShiftMask);
    case op::kNeg: return U(0) - a;
    case op::kMod:  // RFC 9669: x % 0 = x; signed INT_MIN % -1 = 0
      if (b == 0) return a;
      if (offset == 0) return a % b;
      return b == static_cast<U>(-1) ? U(0) : static_cast<U>(static_cast<S>(a) % static_cast<S>(b));
    case op::kXor: return a ^ b;
    case op::kMov:  // movsx when offset is 8, 16 or 32
      if (offset == 0) return b;
      if (offset == 8) return static_cast<U>(static_cast<S>(static_cast<int8_t>(b)));
      if (offset == 16) return static_cast<U>(static_cast<S>(static_cast<int16_t>(b)));
      return static_cast<U>(static_cast<S>(static_cast<int32_t>(b)));
    default: return static_cast<U>(static_cast<S>(a) >> (b & kShiftMask));  // kArsh
  }
}

template <typename U>
bool Condition(uint8_t operation, U a, U b) {
  using S = std::make_signed_t<U>;
  switch (operation) {
    case op::kJeq: return a == b;
    case op::kJgt: return a > b;
    case op::kJge: return a >= b;
    case op::kJset: return (a & b) != 0;
    case op::kJne: return a != b;
    case op::kJsgt: return static_cast<S>(a) > static_cast<S>(b);
    case op::kJsge: return static_cast<S>(a) >= static_cast<S>(b);
    case op::kJlt: return a < b;
    case op::kJle: return a <= b;
    case op::kJslt: return static_cast<S>(a) < static_cast<S>(b);
    default: return static_cast<S>(a) <= static_cast<S>(b);  // kJsle
  }
}

// le16/le32 on a little-endian machine only truncate; be* and the ALU64 bswap* reverse bytes.
uint64_t ByteSwap(uint64_t value, int32_t width, bool reverse) {
  if (width == 16) {
    return reverse ? __builtin_bswap16(static_cast<uint16_t>(value)) : static_cast<uint16_t>(value);
  }
  if (width == 32) {
    return reverse ? __builtin_bswap32(static_cast<uint32_t>(value)) : static_cast<uint32_t>(value);
  }
  return reverse ? __builtin_bswap64(value) : value;
}

uint64_t Load(const uint8_t* p, uint32_t size) {
  uint64_t value = 0;
  std::memcpy(&value, p, size);  // little-endian host: the low bytes land first
  return value;
}

void Store(uint8_t* p, uint32_t size, uint64_t value) { std::memcpy(p, &value, size); }

uint64_t SignExtend(uint64_t value, uint32_t bytes) {
  const uint32_t shift = 64 - bytes * 8;
  return static_cast<uint64_t>(static_cast<int64_t>(value << shift) >> shift);
}

uintptr_t Address(const void* p) { return reinterpret_cast<uintptr_t>(p); }

// Field readers for the slot being executed: each case reads only the fields it uses, which keeps
// the common path of the dispatch loop short.
uint8_t Dst(const uint8_t* slot) { return slot[1] & 0x0f; }
uint8_t Src(const uint8_t* slot) { return slot[1] >> 4; }
int16_t Offset(const uint8_t* slot) {
  int16_t v;
  std::memcpy(&v, slot + 2, sizeof v);
  return v;
}
uint32_t SlotIndex(const uint8_t* code, const uint8_t* slot) {
  return static_cast<uint32_t>((slot - code) / kSlotSize);
}
int32_t Imm(const uint8_t* slot) {
  int32_t v;
  std::memcpy(&v, slot + 4, sizeof v);
  return v;
}

}  // namespace

Vm::Vm(const VerifiedProgram& verified, std::span<uint8_t> stack)
    : program_(verified.program()), helpers_(verified.helpers()) {
  const uint32_t stack_size = static_cast<uint32_t>(stack.size()) & ~7u;
  frame_size_ = stack_size < kFrameSize ? stack_size : kFrameSize;
  const uint32_t frames = frame_size_ == 0 ? 1 : stack_size / frame_size_;
  max_depth_ = frames - 1 < kMaxCallDepth ? frames - 1 : kMaxCallDepth;
  stack_top_ = Address(stack.data()) + stack_size;
  regions_[kStackRegion] = {Address(stack.data()), stack_size, kReadWrite};
  regions_[kRodataRegion] = {Address(program_.rodata.data()),
                             static_cast<uint32_t>(program_.rodata.size()), kRead};
  regions_[kDataRegion] = {Address(program_.data.data()),
                           static_cast<uint32_t>(program_.data.size()), kReadWrite};
  Start({});
}

Status Vm::GrantRegion(void* start, uint32_t size, Access access) {
  if (start == nullptr || size == 0) return Status(ErrorCode::kInvalidArgument, "empty region");
  for (uint32_t i = kFirstGranted; i < kFirstGranted + kMaxGrantedRegions; ++i) {
    if (regions_[i].size == 0) {
      regions_[i] = {Address(start), size, access};
      return Status::Ok();
    }
  }
  return Status(ErrorCode::kResourceExhausted, "no free region slot");
}

void Vm::RevokeGrantedRegions() {
  for (uint32_t i = kFirstGranted; i < kFirstGranted + kMaxGrantedRegions; ++i) regions_[i] = {};
}

void Vm::Start(std::span<uint8_t> input, Access input_access) {
  StartAt(program_.entry, input, input_access);
}

void Vm::Start(EntryPoint entry, std::span<uint8_t> input, Access input_access) {
  StartAt(entry.slot(), input, input_access);
}

void Vm::StartAt(uint32_t slot, std::span<uint8_t> input, Access input_access) {
  std::memset(regs_, 0, sizeof regs_);
  regs_[1] = input.empty() ? 0 : Address(input.data());
  regs_[2] = input.size();
  regs_[kFramePointer] = stack_top_;
  regions_[kInputRegion] = {Address(input.data()), static_cast<uint32_t>(input.size()),
                            input_access};
  depth_ = 0;
  executed_ = 0;
  pc_ = slot;
  state_ = State::kReady;
  trap_ = TrapReason::kNone;
}

runtime::RunExit Vm::Run(std::span<uint8_t> input, uint64_t fuel) {
  Start(input);
  return Resume(fuel);
}

uint8_t* Vm::Translate(uint64_t address, uint32_t size, Access access) const {
  for (const Region& region : regions_) {
    const uint64_t offset = address - region.start;
    if (offset < region.size && size <= region.size - offset &&
        (region.access & access) == access) {
      return reinterpret_cast<uint8_t*>(static_cast<uintptr_t>(address));
    }
  }
  return nullptr;
}

runtime::RunExit Vm::Suspend(RunExit exit, uint32_t pc, uint64_t used) {
  executed_ += used;
  pc_ = pc;
  return exit;
}

runtime::RunExit Vm::Trap(TrapReason reason, uint32_t pc, uint64_t used) {
  state_ = State::kTrapped;
  trap_ = reason;
  return Suspend(RunExit::kTrapped, pc, used);
}

bool Vm::PreemptRequested() const {
  return preempt_ != nullptr && preempt_->load(std::memory_order_relaxed);
}

uint64_t Vm::SectionAddress(int32_t section) const {
  return Address(section == 0 ? program_.rodata.data() : program_.data.data());
}

runtime::RunExit Vm::Resume(uint64_t fuel) {
  if (state_ == State::kFinished) return RunExit::kFinished;
  if (state_ == State::kTrapped) return RunExit::kTrapped;
  const uint8_t* const code = program_.code.data();
  uint64_t* const r = regs_;
  // `next` is the slot to execute next (while an instruction executes: the one after it); slot
  // indices are computed only when the run stops, which keeps the dispatch loop short.
  const uint8_t* next = code + pc_ * kSlotSize;
  // Fuel is handed out in chunks of at most kPreemptInterval instructions: the loop only counts
  // a 32-bit `chunk` down, and between chunks it reads the preemption flag.
  uint64_t left = fuel;  // fuel not yet handed to a chunk
  uint32_t chunk = 0;
  // No capturing lambdas in here: captured locals would have to live in memory, and
  // `next`/`chunk` must stay in registers for the loop to be fast.
  for (;;) {
    if (chunk == 0) {
      if (left == 0) return Suspend(RunExit::kOutOfFuel, SlotIndex(code, next), fuel);
      if (PreemptRequested()) {
        return Suspend(RunExit::kPreempted, SlotIndex(code, next), fuel - left);
      }
      chunk = left < kPreemptInterval ? static_cast<uint32_t>(left) : kPreemptInterval;
      left -= chunk;
    }
    --chunk;
    const uint8_t* const slot = next;
    const uint8_t opcode = slot[0];
    const uint8_t operation = op::Operation(opcode);
    next += kSlotSize;
    switch (op::Class(opcode)) {
      case op::kAlu64: {
        uint64_t& dst = r[Dst(slot)];
        const uint64_t source =
            (opcode & op::kSourceReg) ? r[Src(slot)] : static_cast<uint64_t>(int64_t{Imm(slot)});
        dst = operation == op::kEnd ? ByteSwap(dst, Imm(slot), true)
                                    : Arithmetic<uint64_t>(operation, Offset(slot), dst, source);
        continue;
      }
      case op::kAlu: {
        uint64_t& dst = r[Dst(slot)];
        if (operation == op::kEnd) {
          dst = ByteSwap(dst, Imm(slot), opcode & op::kSourceReg);
        } else {
          const uint32_t source =
              static_cast<uint32_t>((opcode & op::kSourceReg) ? r[Src(slot)] : Imm(slot));
          dst = Arithmetic<uint32_t>(operation, Offset(slot), static_cast<uint32_t>(dst), source);
        }
        continue;
      }
      case op::kJmp:
      case op::kJmp32: {
        int32_t jump = Offset(slot);
        if (operation == op::kJa) {
          if (op::Class(opcode) == op::kJmp32) jump = Imm(slot);
        } else if (operation == op::kExit) {
          if (depth_ == 0) {
            state_ = State::kFinished;
            return Suspend(RunExit::kFinished, SlotIndex(code, next), fuel - left - chunk);
          }
          const Frame& frame = frames_[--depth_];
          std::memcpy(&r[6], frame.saved, sizeof frame.saved);
          r[kFramePointer] += frame_size_;
          next = code + frame.return_pc * kSlotSize;
          continue;
        } else if (operation == op::kCall) {
          if (Src(slot) == op::kCallLocal && !(opcode & op::kSourceReg)) {
            if (depth_ == max_depth_) {
              return Trap(TrapReason::kCallStackExhausted, SlotIndex(code, slot),
                          fuel - left - chunk);
            }
            Frame& frame = frames_[depth_++];
            std::memcpy(frame.saved, &r[6], sizeof frame.saved);
            frame.return_pc = SlotIndex(code, next);
            r[kFramePointer] -= frame_size_;
            next += static_cast<int64_t>(Imm(slot)) * kSlotSize;
          } else {
            const uint64_t id =
                (opcode & op::kSourceReg) ? r[Dst(slot)] : static_cast<uint32_t>(Imm(slot));
            const Helper* helper = FindHelper(helpers_, id);
            if (helper == nullptr) {
              return Trap(TrapReason::kInvalidHelper, SlotIndex(code, slot), fuel - left - chunk);
            }
            pc_ = SlotIndex(code, next);
            const HostAction action = helper->function(helper->context, *this, &r[1], &r[0]);
            if (action == HostAction::kTrap) {
              return Trap(TrapReason::kHostFault, SlotIndex(code, slot), fuel - left - chunk);
            }
            if (action == HostAction::kBlock) {
              return Suspend(RunExit::kBlocked, SlotIndex(code, next), fuel - left - chunk);
            }
          }
          if (PreemptRequested()) {
            return Suspend(RunExit::kPreempted, SlotIndex(code, next), fuel - left - chunk);
          }
          continue;
        } else {
          const uint64_t a = r[Dst(slot)];
          const uint64_t b =
              (opcode & op::kSourceReg) ? r[Src(slot)] : static_cast<uint64_t>(int64_t{Imm(slot)});
          const bool taken = op::Class(opcode) == op::kJmp32
                                 ? Condition<uint32_t>(operation, static_cast<uint32_t>(a),
                                                       static_cast<uint32_t>(b))
                                 : Condition<uint64_t>(operation, a, b);
          if (!taken) continue;
        }
        next += static_cast<int64_t>(jump) * kSlotSize;
        continue;
      }
      case op::kLd: {  // lddw (the only LD form the verifier admits)
        const int32_t high = Imm(next);
        next += kSlotSize;
        r[Dst(slot)] = Src(slot) == op::kLddwSectionValue
                           ? SectionAddress(Imm(slot)) + static_cast<uint32_t>(high)
                           : (static_cast<uint64_t>(static_cast<uint32_t>(high)) << 32) |
                                 static_cast<uint32_t>(Imm(slot));
        continue;
      }
      case op::kLdx: {
        const uint32_t size = op::AccessSize(opcode);
        const uint8_t* p =
            Translate(r[Src(slot)] + static_cast<int64_t>(Offset(slot)), size, kRead);
        if (p == nullptr) {
          return Trap(TrapReason::kMemoryAccessDenied, SlotIndex(code, slot), fuel - left - chunk);
        }
        const uint64_t value = Load(p, size);
        r[Dst(slot)] = (opcode & op::kModeMask) == op::kModeMemSx ? SignExtend(value, size) : value;
        continue;
      }
      default: {  // kSt, kStx
        const uint32_t size = op::AccessSize(opcode);
        const bool atomic = (opcode & op::kModeMask) == op::kModeAtomic;
        uint8_t* p = Translate(r[Dst(slot)] + static_cast<int64_t>(Offset(slot)), size,
                               atomic ? kReadWrite : kWrite);
        if (p == nullptr) {
          return Trap(TrapReason::kMemoryAccessDenied, SlotIndex(code, slot), fuel - left - chunk);
        }
        if (op::Class(opcode) == op::kSt) {
          Store(p, size, static_cast<uint64_t>(int64_t{Imm(slot)}));
        } else if (!atomic) {
          Store(p, size, r[Src(slot)]);
        } else {
          // One guest runs at a time on its own memory, so a plain read-modify-write is atomic.
          const uint64_t old = Load(p, size);
          const uint64_t value = r[Src(slot)];
          uint64_t updated;
          switch (Imm(slot) & ~op::kAtomicFetch) {
            case op::kAdd << 4: updated = old + value; break;
            case op::kOr << 4: updated = old | value; break;
            case op::kAnd << 4: updated = old & value; break;
            case op::kXor << 4: updated = old ^ value; break;
            case op::kAtomicXchg & ~op::kAtomicFetch: updated = value; break;
            default: {  // cmpxchg: compare with r0, which receives the old value
              const uint64_t expected = size == 4 ? static_cast<uint32_t>(r[0]) : r[0];
              updated = old == expected ? value : old;
              r[0] = old;
              Store(p, size, updated);
              continue;
            }
          }
          Store(p, size, updated);
          if (Imm(slot) & op::kAtomicFetch) r[Src(slot)] = old;
        }
        continue;
      }
    }
  }
}

}  // namespace tc::ebpf
