// The interpreter: an indirect-threaded loop over the internal form (ops.h). All state lives in
// the Thread's stacks; a wasm call pushes a Frame instead of recursing natively.
#include <cmath>
#include <cstring>

#include "numeric.h"
#include "ops.h"
#include "tc/wasm/thread.h"

namespace tc::wasm {

using runtime::HostAction;
using runtime::RunExit;
using runtime::TrapReason;
using namespace numeric;

Status Thread::Start(const Function& function, std::span<const Slot> args) {
  if (args.size() != function.type->param_count) {
    return Status(ErrorCode::kInvalidArgument, "wrong number of arguments");
  }
  const size_t needed = function.type->param_count > function.type->result_count
                            ? function.type->param_count
                            : function.type->result_count;
  if (needed > stack_.size() || frames_.empty()) {
    return Status(ErrorCode::kResourceExhausted, "stack too small for the call");
  }
  if (!args.empty()) std::memcpy(stack_.data(), args.data(), args.size() * sizeof(Slot));
  trap_ = TrapReason::kNone;
  preempt_.store(false, std::memory_order_relaxed);
  result_count_ = 0;
  blocked_results_ = nullptr;
  blocked_result_count_ = 0;
  frame_top_ = frames_.data();
  if (function.body == nullptr) {
    // A host function as the entry: call it right away.
    ++host_calls_;
    HostCall call{stack_.data(), function.type, MemoryView(), this};
    const HostAction action = function.host(function.host_context, call);
    result_count_ = function.type->result_count;
    if (action == HostAction::kTrap) {
      (void)Trap(TrapReason::kHostFault);
      return Status::Ok();
    }
    state_ = State::kFinished;
    return Status::Ok();
  }
  const FuncBody& body = *function.body;
  if (body.local_count + body.max_height > stack_.size()) {
    return Status(ErrorCode::kResourceExhausted, "value stack too small for the entry function");
  }
  *frame_top_++ = Frame{nullptr, nullptr, nullptr, nullptr};
  fp_ = stack_.data();
  std::memset(fp_ + body.param_count, 0, (body.local_count - body.param_count) * sizeof(Slot));
  pc_ = body.code;
  instance_ = function.instance;
  body_ = &body;
  state_ = State::kReady;
  ++calls_;
  return Status::Ok();
}

RunExit Thread::Run() {
  switch (state_) {
    case State::kReady: return Execute();
    case State::kFinished: return RunExit::kFinished;
    case State::kTrapped: return RunExit::kTrapped;
    case State::kIdle: break;
  }
  return Trap(TrapReason::kHostFault);
}

RunExit Thread::Execute() {
  const uint32_t* pc = pc_;
  Slot* fp = fp_;
  Frame* frame_top = frame_top_;
  Frame* const frame_end = frames_.data() + frames_.size();
  Slot* const stack_end = stack_.data() + stack_.size();
  Instance* inst = instance_;
  const FuncBody* body = body_;
  int64_t fuel = fuel_;
  uint8_t* mem = nullptr;
  uint64_t mem_size = 0;
  TrapReason trap = TrapReason::kNone;
  RunExit exit;
  const Function* callee = nullptr;
  Slot* args = nullptr;

#define SAVE_STATE()        \
  do {                      \
    pc_ = pc;               \
    fp_ = fp;               \
    frame_top_ = frame_top; \
    instance_ = inst;       \
    body_ = body;           \
    fuel_ = fuel;           \
  } while (0)
#define LOAD_MEMORY()                      \
  do {                                     \
    if (inst->memory != nullptr) {         \
      mem = inst->memory->data;            \
      mem_size = inst->memory->accessible; \
    } else {                               \
      mem = nullptr;                       \
      mem_size = 0;                        \
    }                                      \
  } while (0)
#define TRAP(reason) \
  do {               \
    trap = reason;   \
    goto do_trap;    \
  } while (0)

  LOAD_MEMORY();

  static const void* const kDispatch[op::kCount] = {
#include "dispatch_table.inc"
  };
#define NEXT() goto* kDispatch[*pc]
#define JUMP_REL(word_ptr) pc = (word_ptr) + static_cast<int32_t>(*(word_ptr))
// Slot operands: pc[k] is a slot index relative to the frame pointer.
#define S(k) fp[pc[k]]
#define I32_AT(x) static_cast<int32_t>(static_cast<uint32_t>(x))
#define U32_AT(x) static_cast<uint32_t>(x)
#define F32_AT(x) BitsTo<float>(static_cast<uint32_t>(x))
#define F64_AT(x) BitsTo<double>(static_cast<uint64_t>(x))
#define PUT_U32(v) static_cast<Slot>(static_cast<uint32_t>(v))
#define PUT_F32(v) static_cast<Slot>(ToBits<uint32_t>(static_cast<float>(v)))
#define PUT_F64(v) static_cast<Slot>(ToBits<uint64_t>(static_cast<double>(v)))
// Moves `count` values from slot `from` to slot `to` (a branch carrying values to its label).
#define MOVE_VALUES(count, from, to)                                \
  do {                                                              \
    if ((count) != 0 && (from) != (to)) {                           \
      std::memmove(fp + (to), fp + (from), (count) * sizeof(Slot)); \
    }                                                               \
  } while (0)

  NEXT();

L_unreachable:
  TRAP(TrapReason::kUnreachable);

L_fuel : {
  const int64_t cost = pc[1];
  if (fuel < cost || preempt_.load(std::memory_order_relaxed)) {
    exit = fuel < cost ? RunExit::kOutOfFuel : RunExit::kPreempted;
    preempt_.store(false, std::memory_order_relaxed);
    SAVE_STATE();
    return exit;
  }
  fuel -= cost;
  pc += 2;
  NEXT();
}

L_copy:
  S(1) = S(2);
  pc += 3;
  NEXT();
L_br:
  JUMP_REL(pc + 1);
  NEXT();
L_br_move:
  MOVE_VALUES(pc[1], pc[2], pc[3]);
  JUMP_REL(pc + 4);
  NEXT();
L_br_if:
  if (U32_AT(S(1)) != 0) {
    JUMP_REL(pc + 2);
  } else {
    pc += 3;
  }
  NEXT();
L_br_if_move:
  if (U32_AT(S(1)) != 0) {
    MOVE_VALUES(pc[2], pc[3], pc[4]);
    JUMP_REL(pc + 5);
  } else {
    pc += 6;
  }
  NEXT();
L_br_unless:
  if (U32_AT(S(1)) == 0) {
    JUMP_REL(pc + 2);
  } else {
    pc += 3;
  }
  NEXT();
L_br_table : {
  const uint32_t count = pc[2];
  uint32_t index = U32_AT(S(1));
  if (index > count) index = count;
  const uint32_t* entry = pc + 3 + index * 4;
  MOVE_VALUES(entry[0], entry[1], entry[2]);
  JUMP_REL(entry + 3);
  NEXT();
}
L_return : {
  const uint32_t n = body->result_count;
  if (n != 0 && pc[1] != 0) std::memmove(fp, fp + pc[1], n * sizeof(Slot));
  const Frame& caller = *--frame_top;
  if (caller.return_pc == nullptr) {
    result_count_ = n;
    state_ = State::kFinished;
    SAVE_STATE();
    return RunExit::kFinished;
  }
  pc = caller.return_pc;
  fp = caller.fp;
  inst = caller.instance;
  body = caller.body;
  LOAD_MEMORY();
  NEXT();
}

L_call:
  callee = inst->functions[pc[1]];
  args = fp + pc[2];
  pc += 3;
call_function : {
  if (callee->body == nullptr) {
    ++host_calls_;
    HostCall call{args, callee->type, MemoryView(inst->memory), this};
    const HostAction action = callee->host(callee->host_context, call);
    if (action == HostAction::kContinue) {
      LOAD_MEMORY();
      NEXT();
    }
    if (action == HostAction::kTrap) TRAP(TrapReason::kHostFault);
    blocked_results_ = args;
    blocked_result_count_ = callee->type->result_count;
    SAVE_STATE();
    return RunExit::kBlocked;
  }
  const FuncBody* callee_body = callee->body;
  if (frame_top == frame_end) TRAP(TrapReason::kCallStackExhausted);
  if (callee_body->local_count + callee_body->max_height > static_cast<size_t>(stack_end - args)) {
    TRAP(TrapReason::kValueStackExhausted);
  }
  *frame_top++ = Frame{pc, fp, inst, body};
  ++calls_;
  fp = args;
  for (Slot *p = fp + callee_body->param_count, *end = fp + callee_body->local_count; p < end;
       ++p) {
    *p = 0;
  }
  pc = callee_body->code;
  body = callee_body;
  if (callee->instance != inst) {
    inst = callee->instance;
    LOAD_MEMORY();
  }
  NEXT();
}

L_call_indirect : {
  const uint32_t index = U32_AT(S(2));
  const Table* table = inst->table;
  if (index >= table->size) TRAP(TrapReason::kTableOutOfBounds);
  callee = table->elements[index];
  if (callee == nullptr) TRAP(TrapReason::kIndirectCallNull);
  const FuncType& expected = inst->module->types[pc[1]];
  if (callee->type != &expected && !(*callee->type == expected)) {
    TRAP(TrapReason::kIndirectCallTypeMismatch);
  }
  args = fp + pc[3];
  pc += 4;
  goto call_function;
}

L_select:
  S(1) = U32_AT(S(4)) != 0 ? S(2) : S(3);
  pc += 5;
  NEXT();
L_global_get:
  S(1) = inst->globals[pc[2]]->value;
  pc += 3;
  NEXT();
L_global_set:
  inst->globals[pc[2]]->value = S(1);
  pc += 3;
  NEXT();

// Memory access: the effective address is computed in 64 bits so offset + address never wraps.
#define LOAD(T, CONVERT)                                                 \
  {                                                                      \
    const uint64_t ea = static_cast<uint64_t>(U32_AT(S(2))) + pc[3];     \
    if (ea + sizeof(T) > mem_size) TRAP(TrapReason::kMemoryOutOfBounds); \
    T v;                                                                 \
    std::memcpy(&v, mem + ea, sizeof(T));                                \
    S(1) = CONVERT;                                                      \
    pc += 4;                                                             \
    NEXT();                                                              \
  }
#define STORE(T, VALUE)                                                  \
  {                                                                      \
    const Slot value = S(2);                                             \
    const uint64_t ea = static_cast<uint64_t>(U32_AT(S(1))) + pc[3];     \
    if (ea + sizeof(T) > mem_size) TRAP(TrapReason::kMemoryOutOfBounds); \
    const T v = VALUE;                                                   \
    std::memcpy(mem + ea, &v, sizeof(T));                                \
    pc += 4;                                                             \
    NEXT();                                                              \
  }

L_i32_load:
  LOAD(uint32_t, static_cast<Slot>(v))
L_i64_load:
  LOAD(uint64_t, static_cast<Slot>(v))
L_f32_load:
  LOAD(uint32_t, static_cast<Slot>(v))
L_f64_load:
  LOAD(uint64_t, static_cast<Slot>(v))
L_i32_load8_s:
  LOAD(int8_t, PUT_U32(static_cast<int32_t>(v)))
L_i32_load8_u:
  LOAD(uint8_t, PUT_U32(v))
L_i32_load16_s:
  LOAD(int16_t, PUT_U32(static_cast<int32_t>(v)))
L_i32_load16_u:
  LOAD(uint16_t, PUT_U32(v))
L_i64_load8_s:
  LOAD(int8_t, static_cast<Slot>(static_cast<int64_t>(v)))
L_i64_load8_u:
  LOAD(uint8_t, static_cast<Slot>(v))
L_i64_load16_s:
  LOAD(int16_t, static_cast<Slot>(static_cast<int64_t>(v)))
L_i64_load16_u:
  LOAD(uint16_t, static_cast<Slot>(v))
L_i64_load32_s:
  LOAD(int32_t, static_cast<Slot>(static_cast<int64_t>(v)))
L_i64_load32_u:
  LOAD(uint32_t, static_cast<Slot>(v))
L_i32_store:
  STORE(uint32_t, static_cast<uint32_t>(value))
L_i64_store:
  STORE(uint64_t, value)
L_f32_store:
  STORE(uint32_t, static_cast<uint32_t>(value))
L_f64_store:
  STORE(uint64_t, value)
L_i32_store8:
  STORE(uint8_t, static_cast<uint8_t>(value))
L_i32_store16:
  STORE(uint16_t, static_cast<uint16_t>(value))
L_i64_store8:
  STORE(uint8_t, static_cast<uint8_t>(value))
L_i64_store16:
  STORE(uint16_t, static_cast<uint16_t>(value))
L_i64_store32:
  STORE(uint32_t, static_cast<uint32_t>(value))

L_memory_size:
  S(1) = PUT_U32(inst->memory->pages);
  pc += 2;
  NEXT();
L_memory_grow:
  S(1) = PUT_U32(inst->memory->Grow(U32_AT(S(2))));
  LOAD_MEMORY();
  pc += 3;
  NEXT();

L_i32_const:
  S(1) = pc[2];
  pc += 3;
  NEXT();
L_i64_const:
  S(1) = static_cast<Slot>(pc[2]) | (static_cast<Slot>(pc[3]) << 32);
  pc += 4;
  NEXT();

#define UNARY(EXPR)      \
  {                      \
    const Slot a = S(2); \
    S(1) = (EXPR);       \
    pc += 3;             \
    NEXT();              \
  }
#define BINARY(EXPR)     \
  {                      \
    const Slot a = S(2); \
    const Slot b = S(3); \
    S(1) = (EXPR);       \
    pc += 4;             \
    NEXT();              \
  }
// A binary operation that may trap: CHECK runs with a and b in scope before the result is stored.
#define BINARY_CHECKED(CHECK, EXPR) \
  {                                 \
    const Slot a = S(2);            \
    const Slot b = S(3);            \
    CHECK;                          \
    S(1) = (EXPR);                  \
    pc += 4;                        \
    NEXT();                         \
  }
#define A32 U32_AT(a)
#define B32 U32_AT(b)
#define SA32 I32_AT(a)
#define SB32 I32_AT(b)
#define SA64 static_cast<int64_t>(a)
#define SB64 static_cast<int64_t>(b)
#define FA F32_AT(a)
#define FB F32_AT(b)
#define DA F64_AT(a)
#define DB F64_AT(b)
#define BOOL(x) static_cast<Slot>((x) ? 1 : 0)

L_i32_eqz:
  UNARY(BOOL(A32 == 0))
L_i32_eq:
  BINARY(BOOL(A32 == B32))
L_i32_ne:
  BINARY(BOOL(A32 != B32))
L_i32_lt_s:
  BINARY(BOOL(SA32 < SB32))
L_i32_lt_u:
  BINARY(BOOL(A32 < B32))
L_i32_gt_s:
  BINARY(BOOL(SA32 > SB32))
L_i32_gt_u:
  BINARY(BOOL(A32 > B32))
L_i32_le_s:
  BINARY(BOOL(SA32 <= SB32))
L_i32_le_u:
  BINARY(BOOL(A32 <= B32))
L_i32_ge_s:
  BINARY(BOOL(SA32 >= SB32))
L_i32_ge_u:
  BINARY(BOOL(A32 >= B32))
L_i64_eqz:
  UNARY(BOOL(a == 0))
L_i64_eq:
  BINARY(BOOL(a == b))
L_i64_ne:
  BINARY(BOOL(a != b))
L_i64_lt_s:
  BINARY(BOOL(SA64 < SB64))
L_i64_lt_u:
  BINARY(BOOL(a < b))
L_i64_gt_s:
  BINARY(BOOL(SA64 > SB64))
L_i64_gt_u:
  BINARY(BOOL(a > b))
L_i64_le_s:
  BINARY(BOOL(SA64 <= SB64))
L_i64_le_u:
  BINARY(BOOL(a <= b))
L_i64_ge_s:
  BINARY(BOOL(SA64 >= SB64))
L_i64_ge_u:
  BINARY(BOOL(a >= b))
L_f32_eq:
  BINARY(BOOL(FA == FB))
L_f32_ne:
  BINARY(BOOL(FA != FB))
L_f32_lt:
  BINARY(BOOL(FA < FB))
L_f32_gt:
  BINARY(BOOL(FA > FB))
L_f32_le:
  BINARY(BOOL(FA <= FB))
L_f32_ge:
  BINARY(BOOL(FA >= FB))
L_f64_eq:
  BINARY(BOOL(DA == DB))
L_f64_ne:
  BINARY(BOOL(DA != DB))
L_f64_lt:
  BINARY(BOOL(DA < DB))
L_f64_gt:
  BINARY(BOOL(DA > DB))
L_f64_le:
  BINARY(BOOL(DA <= DB))
L_f64_ge:
  BINARY(BOOL(DA >= DB))

L_i32_clz:
  UNARY(PUT_U32(A32 == 0 ? 32 : __builtin_clz(A32)))
L_i32_ctz:
  UNARY(PUT_U32(A32 == 0 ? 32 : __builtin_ctz(A32)))
L_i32_popcnt:
  UNARY(PUT_U32(__builtin_popcount(A32)))
L_i32_add:
  BINARY(PUT_U32(A32 + B32))
L_i32_sub:
  BINARY(PUT_U32(A32 - B32))
L_i32_mul:
  BINARY(PUT_U32(A32 * B32))
L_i32_div_s:
  BINARY_CHECKED(if (B32 == 0) TRAP(TrapReason::kDivisionByZero);
                 if (SA32 == INT32_MIN && SB32 == -1) TRAP(TrapReason::kIntegerOverflow),
                 PUT_U32(SA32 / SB32))
L_i32_div_u:
  BINARY_CHECKED(if (B32 == 0) TRAP(TrapReason::kDivisionByZero), PUT_U32(A32 / B32))
L_i32_rem_s:
  BINARY_CHECKED(if (B32 == 0) TRAP(TrapReason::kDivisionByZero),
                 SB32 == -1 ? 0 : PUT_U32(SA32 % SB32))
L_i32_rem_u:
  BINARY_CHECKED(if (B32 == 0) TRAP(TrapReason::kDivisionByZero), PUT_U32(A32 % B32))
L_i32_and:
  BINARY(PUT_U32(A32 & B32))
L_i32_or:
  BINARY(PUT_U32(A32 | B32))
L_i32_xor:
  BINARY(PUT_U32(A32 ^ B32))
L_i32_shl:
  BINARY(PUT_U32(A32 << (B32 & 31)))
L_i32_shr_s:
  BINARY(PUT_U32(SA32 >> (B32 & 31)))
L_i32_shr_u:
  BINARY(PUT_U32(A32 >> (B32 & 31)))
L_i32_rotl:
  BINARY(PUT_U32((A32 << (B32 & 31)) | (A32 >> ((32 - (B32 & 31)) & 31))))
L_i32_rotr:
  BINARY(PUT_U32((A32 >> (B32 & 31)) | (A32 << ((32 - (B32 & 31)) & 31))))

L_i64_clz:
  UNARY(static_cast<Slot>(a == 0 ? 64 : __builtin_clzll(a)))
L_i64_ctz:
  UNARY(static_cast<Slot>(a == 0 ? 64 : __builtin_ctzll(a)))
L_i64_popcnt:
  UNARY(static_cast<Slot>(__builtin_popcountll(a)))
L_i64_add:
  BINARY(a + b)
L_i64_sub:
  BINARY(a - b)
L_i64_mul:
  BINARY(a * b)
L_i64_div_s:
  BINARY_CHECKED(if (b == 0) TRAP(TrapReason::kDivisionByZero);
                 if (SA64 == INT64_MIN && SB64 == -1) TRAP(TrapReason::kIntegerOverflow),
                 static_cast<Slot>(SA64 / SB64))
L_i64_div_u:
  BINARY_CHECKED(if (b == 0) TRAP(TrapReason::kDivisionByZero), a / b)
L_i64_rem_s:
  BINARY_CHECKED(if (b == 0) TRAP(TrapReason::kDivisionByZero),
                 SB64 == -1 ? 0 : static_cast<Slot>(SA64 % SB64))
L_i64_rem_u:
  BINARY_CHECKED(if (b == 0) TRAP(TrapReason::kDivisionByZero), a % b)
L_i64_and:
  BINARY(a & b)
L_i64_or:
  BINARY(a | b)
L_i64_xor:
  BINARY(a ^ b)
L_i64_shl:
  BINARY(a << (b & 63))
L_i64_shr_s:
  BINARY(static_cast<Slot>(SA64 >> (b & 63)))
L_i64_shr_u:
  BINARY(a >> (b & 63))
L_i64_rotl:
  BINARY((a << (b & 63)) | (a >> ((64 - (b & 63)) & 63)))
L_i64_rotr:
  BINARY((a >> (b & 63)) | (a << ((64 - (b & 63)) & 63)))

L_f32_abs:
  UNARY(a & 0x7FFFFFFFu)
L_f32_neg:
  UNARY((a ^ 0x80000000u) & 0xFFFFFFFFu)
L_f32_ceil:
  UNARY(PUT_F32(Ceil(FA)))
L_f32_floor:
  UNARY(PUT_F32(Floor(FA)))
L_f32_trunc:
  UNARY(PUT_F32(Trunc(FA)))
L_f32_nearest:
  UNARY(PUT_F32(Nearest(FA)))
L_f32_sqrt:
  UNARY(PUT_F32(std::sqrt(FA)))
L_f32_add:
  BINARY(PUT_F32(FA + FB))
L_f32_sub:
  BINARY(PUT_F32(FA - FB))
L_f32_mul:
  BINARY(PUT_F32(FA * FB))
L_f32_div:
  BINARY(PUT_F32(FA / FB))
L_f32_min:
  BINARY(PUT_F32(Min(FA, FB)))
L_f32_max:
  BINARY(PUT_F32(Max(FA, FB)))
L_f32_copysign:
  BINARY((a & 0x7FFFFFFFu) | (b & 0x80000000u))
L_f64_abs:
  UNARY(a & 0x7FFFFFFFFFFFFFFFull)
L_f64_neg:
  UNARY(a ^ 0x8000000000000000ull)
L_f64_ceil:
  UNARY(PUT_F64(Ceil(DA)))
L_f64_floor:
  UNARY(PUT_F64(Floor(DA)))
L_f64_trunc:
  UNARY(PUT_F64(Trunc(DA)))
L_f64_nearest:
  UNARY(PUT_F64(Nearest(DA)))
L_f64_sqrt:
  UNARY(PUT_F64(std::sqrt(DA)))
L_f64_add:
  BINARY(PUT_F64(DA + DB))
L_f64_sub:
  BINARY(PUT_F64(DA - DB))
L_f64_mul:
  BINARY(PUT_F64(DA * DB))
L_f64_div:
  BINARY(PUT_F64(DA / DB))
L_f64_min:
  BINARY(PUT_F64(Min(DA, DB)))
L_f64_max:
  BINARY(PUT_F64(Max(DA, DB)))
L_f64_copysign:
  BINARY((a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))

L_i32_wrap_i64:
  UNARY(PUT_U32(a))

// Trapping float-to-int conversions: NaN is an invalid conversion, out of range an overflow.
#define TRUNC(F_EXPR, LOWER, UPPER, RESULT)                            \
  {                                                                    \
    const Slot a = S(2);                                               \
    const auto f = F_EXPR;                                             \
    if (std::isnan(f)) TRAP(TrapReason::kInvalidConversion);           \
    if (!InRange(f, LOWER, UPPER)) TRAP(TrapReason::kIntegerOverflow); \
    S(1) = RESULT;                                                     \
    pc += 3;                                                           \
    NEXT();                                                            \
  }
L_i32_trunc_f32_s:
  TRUNC(FA, -2147483904.0f, 2147483648.0f, PUT_U32(static_cast<int32_t>(f)))
L_i32_trunc_f32_u:
  TRUNC(FA, -1.0f, 4294967296.0f, PUT_U32(static_cast<uint32_t>(f)))
L_i32_trunc_f64_s:
  TRUNC(DA, -2147483649.0, 2147483648.0, PUT_U32(static_cast<int32_t>(f)))
L_i32_trunc_f64_u:
  TRUNC(DA, -1.0, 4294967296.0, PUT_U32(static_cast<uint32_t>(f)))
L_i64_extend_i32_s:
  UNARY(static_cast<Slot>(static_cast<int64_t>(SA32)))
L_i64_extend_i32_u:
  UNARY(static_cast<Slot>(A32))
L_i64_trunc_f32_s:
  TRUNC(FA, -9223373136366403584.0f, 9223372036854775808.0f,
        static_cast<Slot>(static_cast<int64_t>(f)))
L_i64_trunc_f32_u:
  TRUNC(FA, -1.0f, 18446744073709551616.0f, static_cast<Slot>(static_cast<uint64_t>(f)))
L_i64_trunc_f64_s:
  TRUNC(DA, -9223372036854777856.0, 9223372036854775808.0,
        static_cast<Slot>(static_cast<int64_t>(f)))
L_i64_trunc_f64_u:
  TRUNC(DA, -1.0, 18446744073709551616.0, static_cast<Slot>(static_cast<uint64_t>(f)))
L_f32_convert_i32_s:
  UNARY(PUT_F32(static_cast<float>(SA32)))
L_f32_convert_i32_u:
  UNARY(PUT_F32(static_cast<float>(A32)))
L_f32_convert_i64_s:
  UNARY(PUT_F32(static_cast<float>(SA64)))
L_f32_convert_i64_u:
  UNARY(PUT_F32(static_cast<float>(a)))
L_f32_demote_f64:
  UNARY(PUT_F32(static_cast<float>(DA)))
L_f64_convert_i32_s:
  UNARY(PUT_F64(static_cast<double>(SA32)))
L_f64_convert_i32_u:
  UNARY(PUT_F64(static_cast<double>(A32)))
L_f64_convert_i64_s:
  UNARY(PUT_F64(static_cast<double>(SA64)))
L_f64_convert_i64_u:
  UNARY(PUT_F64(static_cast<double>(a)))
L_f64_promote_f32:
  UNARY(PUT_F64(static_cast<double>(FA)))
L_reinterpret:
  UNARY(a)  // the bits stay as they are
L_i32_extend8_s:
  UNARY(PUT_U32(static_cast<int32_t>(static_cast<int8_t>(a))))
L_i32_extend16_s:
  UNARY(PUT_U32(static_cast<int32_t>(static_cast<int16_t>(a))))
L_i64_extend8_s:
  UNARY(static_cast<Slot>(static_cast<int64_t>(static_cast<int8_t>(a))))
L_i64_extend16_s:
  UNARY(static_cast<Slot>(static_cast<int64_t>(static_cast<int16_t>(a))))
L_i64_extend32_s:
  UNARY(static_cast<Slot>(static_cast<int64_t>(static_cast<int32_t>(a))))

L_i32_trunc_sat_f32_s:
  UNARY(PUT_U32(TruncSat<int32_t>(FA)))
L_i32_trunc_sat_f32_u:
  UNARY(PUT_U32(TruncSat<uint32_t>(FA)))
L_i32_trunc_sat_f64_s:
  UNARY(PUT_U32(TruncSat<int32_t>(DA)))
L_i32_trunc_sat_f64_u:
  UNARY(PUT_U32(TruncSat<uint32_t>(DA)))
L_i64_trunc_sat_f32_s:
  UNARY(static_cast<Slot>(TruncSat<int64_t>(FA)))
L_i64_trunc_sat_f32_u:
  UNARY(static_cast<Slot>(TruncSat<uint64_t>(FA)))
L_i64_trunc_sat_f64_s:
  UNARY(static_cast<Slot>(TruncSat<int64_t>(DA)))
L_i64_trunc_sat_f64_u:
  UNARY(static_cast<Slot>(TruncSat<uint64_t>(DA)))

// Bulk operations: operands dst/value, src, n in slots pc[1..3], segment index in pc[4].
L_memory_init : {
  const uint32_t dst = U32_AT(S(1));
  const uint32_t src = U32_AT(S(2));
  const uint32_t n = U32_AT(S(3));
  const DataSegment& seg = inst->module->datas[pc[4]];
  const uint32_t seg_size = inst->data_dropped[pc[4]] ? 0 : seg.size;
  if (uint64_t{src} + n > seg_size || uint64_t{dst} + n > mem_size) {
    TRAP(TrapReason::kMemoryOutOfBounds);
  }
  if (n != 0) std::memcpy(mem + dst, seg.bytes + src, n);
  pc += 5;
  NEXT();
}
L_data_drop:
  inst->data_dropped[pc[1]] = true;
  pc += 2;
  NEXT();
L_memory_copy : {
  const uint32_t dst = U32_AT(S(1));
  const uint32_t src = U32_AT(S(2));
  const uint32_t n = U32_AT(S(3));
  if (uint64_t{src} + n > mem_size || uint64_t{dst} + n > mem_size) {
    TRAP(TrapReason::kMemoryOutOfBounds);
  }
  if (n != 0) std::memmove(mem + dst, mem + src, n);
  pc += 5;
  NEXT();
}
L_memory_fill : {
  const uint32_t dst = U32_AT(S(1));
  const uint32_t value = U32_AT(S(2));
  const uint32_t n = U32_AT(S(3));
  if (uint64_t{dst} + n > mem_size) TRAP(TrapReason::kMemoryOutOfBounds);
  if (n != 0) std::memset(mem + dst, static_cast<uint8_t>(value), n);
  pc += 5;
  NEXT();
}
L_table_init : {
  const uint32_t dst = U32_AT(S(1));
  const uint32_t src = U32_AT(S(2));
  const uint32_t n = U32_AT(S(3));
  const ElemSegment& seg = inst->module->elems[pc[4]];
  const uint32_t seg_size = inst->elem_dropped[pc[4]] ? 0 : seg.count;
  Table* table = inst->table;
  if (uint64_t{src} + n > seg_size || uint64_t{dst} + n > table->size) {
    TRAP(TrapReason::kTableOutOfBounds);
  }
  for (uint32_t i = 0; i < n; ++i) {
    const ConstExpr& item = seg.items[src + i];
    table->elements[dst + i] =
        item.kind == ConstExpr::Kind::kRefFunc ? inst->functions[item.index] : nullptr;
  }
  pc += 5;
  NEXT();
}
L_elem_drop:
  inst->elem_dropped[pc[1]] = true;
  pc += 2;
  NEXT();
L_table_copy : {
  const uint32_t dst = U32_AT(S(1));
  const uint32_t src = U32_AT(S(2));
  const uint32_t n = U32_AT(S(3));
  Table* table = inst->table;
  if (uint64_t{src} + n > table->size || uint64_t{dst} + n > table->size) {
    TRAP(TrapReason::kTableOutOfBounds);
  }
  if (n != 0) std::memmove(table->elements + dst, table->elements + src, n * sizeof(void*));
  pc += 5;
  NEXT();
}

// Constant right operand (pc[3] is the value, not a slot).
#define BINARY_IMM(EXPR)  \
  {                       \
    const Slot a = S(2);  \
    const Slot b = pc[3]; \
    S(1) = (EXPR);        \
    pc += 4;              \
    NEXT();               \
  }
// Fused compare-and-branch: a, b (slot or immediate), rel; eqz: a, rel.
#define BRANCH_IF(COND, B_VALUE) \
  {                              \
    const Slot a = S(1);         \
    const Slot b = B_VALUE;      \
    if (COND) {                  \
      JUMP_REL(pc + 3);          \
    } else {                     \
      pc += 4;                   \
    }                            \
    NEXT();                      \
  }

L_i32_eq_imm:
  BINARY_IMM(BOOL(A32 == B32))
L_i32_ne_imm:
  BINARY_IMM(BOOL(A32 != B32))
L_i32_lt_s_imm:
  BINARY_IMM(BOOL(SA32 < SB32))
L_i32_lt_u_imm:
  BINARY_IMM(BOOL(A32 < B32))
L_i32_gt_s_imm:
  BINARY_IMM(BOOL(SA32 > SB32))
L_i32_gt_u_imm:
  BINARY_IMM(BOOL(A32 > B32))
L_i32_le_s_imm:
  BINARY_IMM(BOOL(SA32 <= SB32))
L_i32_le_u_imm:
  BINARY_IMM(BOOL(A32 <= B32))
L_i32_ge_s_imm:
  BINARY_IMM(BOOL(SA32 >= SB32))
L_i32_ge_u_imm:
  BINARY_IMM(BOOL(A32 >= B32))
L_i32_add_imm:
  BINARY_IMM(PUT_U32(A32 + B32))
L_i32_sub_imm:
  BINARY_IMM(PUT_U32(A32 - B32))
L_i32_mul_imm:
  BINARY_IMM(PUT_U32(A32 * B32))
L_i32_and_imm:
  BINARY_IMM(PUT_U32(A32 & B32))
L_i32_or_imm:
  BINARY_IMM(PUT_U32(A32 | B32))
L_i32_xor_imm:
  BINARY_IMM(PUT_U32(A32 ^ B32))
L_i32_shl_imm:
  BINARY_IMM(PUT_U32(A32 << (B32 & 31)))
L_i32_shr_s_imm:
  BINARY_IMM(PUT_U32(SA32 >> (B32 & 31)))
L_i32_shr_u_imm:
  BINARY_IMM(PUT_U32(A32 >> (B32 & 31)))
L_br_if_eq:
  BRANCH_IF(A32 == B32, S(2))
L_br_if_eq_imm:
  BRANCH_IF(A32 == B32, pc[2])
L_br_if_ne:
  BRANCH_IF(A32 != B32, S(2))
L_br_if_ne_imm:
  BRANCH_IF(A32 != B32, pc[2])
L_br_if_lt_s:
  BRANCH_IF(SA32 < SB32, S(2))
L_br_if_lt_s_imm:
  BRANCH_IF(SA32 < SB32, pc[2])
L_br_if_lt_u:
  BRANCH_IF(A32 < B32, S(2))
L_br_if_lt_u_imm:
  BRANCH_IF(A32 < B32, pc[2])
L_br_if_gt_s:
  BRANCH_IF(SA32 > SB32, S(2))
L_br_if_gt_s_imm:
  BRANCH_IF(SA32 > SB32, pc[2])
L_br_if_gt_u:
  BRANCH_IF(A32 > B32, S(2))
L_br_if_gt_u_imm:
  BRANCH_IF(A32 > B32, pc[2])
L_br_if_le_s:
  BRANCH_IF(SA32 <= SB32, S(2))
L_br_if_le_s_imm:
  BRANCH_IF(SA32 <= SB32, pc[2])
L_br_if_le_u:
  BRANCH_IF(A32 <= B32, S(2))
L_br_if_le_u_imm:
  BRANCH_IF(A32 <= B32, pc[2])
L_br_if_ge_s:
  BRANCH_IF(SA32 >= SB32, S(2))
L_br_if_ge_s_imm:
  BRANCH_IF(SA32 >= SB32, pc[2])
L_br_if_ge_u:
  BRANCH_IF(A32 >= B32, S(2))
L_br_if_ge_u_imm:
  BRANCH_IF(A32 >= B32, pc[2])
L_br_if_eqz:
  if (U32_AT(S(1)) == 0) {
    JUMP_REL(pc + 2);
  } else {
    pc += 3;
  }
  NEXT();

// Loads with a folded constant addend: the address wraps at 32 bits before the offset is added.
#define LOAD_ADD(T, CONVERT)                                                 \
  {                                                                          \
    const uint64_t ea = static_cast<uint64_t>(U32_AT(S(2)) + pc[4]) + pc[3]; \
    if (ea + sizeof(T) > mem_size) TRAP(TrapReason::kMemoryOutOfBounds);     \
    T v;                                                                     \
    std::memcpy(&v, mem + ea, sizeof(T));                                    \
    S(1) = CONVERT;                                                          \
    pc += 5;                                                                 \
    NEXT();                                                                  \
  }
L_i32_load_add:
  LOAD_ADD(uint32_t, static_cast<Slot>(v))
L_i64_load_add:
  LOAD_ADD(uint64_t, static_cast<Slot>(v))
L_f32_load_add:
  LOAD_ADD(uint32_t, static_cast<Slot>(v))
L_f64_load_add:
  LOAD_ADD(uint64_t, static_cast<Slot>(v))
L_i32_load8_s_add:
  LOAD_ADD(int8_t, PUT_U32(static_cast<int32_t>(v)))
L_i32_load8_u_add:
  LOAD_ADD(uint8_t, PUT_U32(v))
L_i32_load16_s_add:
  LOAD_ADD(int16_t, PUT_U32(static_cast<int32_t>(v)))
L_i32_load16_u_add:
  LOAD_ADD(uint16_t, PUT_U32(v))
L_i64_load8_s_add:
  LOAD_ADD(int8_t, static_cast<Slot>(static_cast<int64_t>(v)))
L_i64_load8_u_add:
  LOAD_ADD(uint8_t, static_cast<Slot>(v))
L_i64_load16_s_add:
  LOAD_ADD(int16_t, static_cast<Slot>(static_cast<int64_t>(v)))
L_i64_load16_u_add:
  LOAD_ADD(uint16_t, static_cast<Slot>(v))
L_i64_load32_s_add:
  LOAD_ADD(int32_t, static_cast<Slot>(static_cast<int64_t>(v)))
L_i64_load32_u_add:
  LOAD_ADD(uint32_t, static_cast<Slot>(v))
#define STORE_ADD(T, VALUE)                                                  \
  {                                                                          \
    const Slot value = S(2);                                                 \
    const uint64_t ea = static_cast<uint64_t>(U32_AT(S(1)) + pc[4]) + pc[3]; \
    if (ea + sizeof(T) > mem_size) TRAP(TrapReason::kMemoryOutOfBounds);     \
    const T v = VALUE;                                                       \
    std::memcpy(mem + ea, &v, sizeof(T));                                    \
    pc += 5;                                                                 \
    NEXT();                                                                  \
  }
L_i32_store_add:
  STORE_ADD(uint32_t, static_cast<uint32_t>(value))
L_i64_store_add:
  STORE_ADD(uint64_t, value)
L_f32_store_add:
  STORE_ADD(uint32_t, static_cast<uint32_t>(value))
L_f64_store_add:
  STORE_ADD(uint64_t, value)
L_i32_store8_add:
  STORE_ADD(uint8_t, static_cast<uint8_t>(value))
L_i32_store16_add:
  STORE_ADD(uint16_t, static_cast<uint16_t>(value))
L_i64_store8_add:
  STORE_ADD(uint8_t, static_cast<uint8_t>(value))
L_i64_store16_add:
  STORE_ADD(uint16_t, static_cast<uint16_t>(value))
L_i64_store32_add:
  STORE_ADD(uint32_t, static_cast<uint32_t>(value))

L_invalid:
  TRAP(TrapReason::kHostFault);

do_trap:
  SAVE_STATE();
  return Trap(trap);
}

}  // namespace tc::wasm
