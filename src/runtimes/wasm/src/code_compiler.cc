// Validates one function body (the spec's operand/control stack algorithm, with both stacks in
// bounded scratch arrays) and, in the same pass, emits the internal form: structured control
// flow becomes jumps with precomputed targets and stack moves; dead code is not emitted.
#include <cstring>

#include "leb_reader.h"
#include "module_context.h"
#include "ops.h"

namespace tc::wasm {

namespace {

constexpr uint8_t kUnknown = 0;  // the polymorphic type of unreachable code
constexpr uint32_t kNoSite = UINT32_MAX;
// Marks an operand that is a constant not yet written anywhere (its value is in consts_).
constexpr uint32_t kConstant = 0x80000000u;
// Marks an operand that is `local + constant` (i32.add not yet executed; the constant is in
// consts_): memory accesses take it as base and addend, everything else materialises it.
constexpr uint32_t kAddend = 0x40000000u;
constexpr uint32_t kSlotMask = 0x3FFFFFFFu;

constexpr uint8_t I32 = static_cast<uint8_t>(ValType::kI32);
constexpr uint8_t I64 = static_cast<uint8_t>(ValType::kI64);
constexpr uint8_t F32 = static_cast<uint8_t>(ValType::kF32);
constexpr uint8_t F64 = static_cast<uint8_t>(ValType::kF64);

enum class Kind : uint8_t { kFunction, kBlock, kLoop, kIf, kElse };

struct BlockType {
  const ValType* params = nullptr;
  const ValType* results = nullptr;
  uint32_t param_count = 0;
  uint32_t result_count = 0;
};

struct Control {
  Kind kind;
  bool unreachable;
  bool dead;  // entered in unreachable code: nothing inside is emitted
              // (validation still treats its start as reachable)
  uint32_t height;
  BlockType type;
  uint32_t patch_head;   // unresolved jumps to the end of this block
  uint32_t else_site;    // `if`: the kBrUnless target to patch
  uint32_t loop_target;  // `loop`: word index of its header
};

// Operand types of numeric instructions 0x45..0xC4: {first operand, second operand, result}.
struct NumericSig {
  uint8_t a, b, r;
};

constexpr NumericSig NumericSignature(uint8_t opcode) {
  if (opcode == 0x45) return {I32, 0, I32};
  if (opcode <= 0x4F) return {I32, I32, I32};
  if (opcode == 0x50) return {I64, 0, I32};
  if (opcode <= 0x5A) return {I64, I64, I32};
  if (opcode <= 0x60) return {F32, F32, I32};
  if (opcode <= 0x66) return {F64, F64, I32};
  if (opcode <= 0x69) return {I32, 0, I32};
  if (opcode <= 0x78) return {I32, I32, I32};
  if (opcode <= 0x7B) return {I64, 0, I64};
  if (opcode <= 0x8A) return {I64, I64, I64};
  if (opcode <= 0x91) return {F32, 0, F32};
  if (opcode <= 0x98) return {F32, F32, F32};
  if (opcode <= 0x9F) return {F64, 0, F64};
  if (opcode <= 0xA6) return {F64, F64, F64};
  switch (opcode) {
    case 0xA7: return {I64, 0, I32};
    case 0xA8:
    case 0xA9: return {F32, 0, I32};
    case 0xAA:
    case 0xAB: return {F64, 0, I32};
    case 0xAC:
    case 0xAD: return {I32, 0, I64};
    case 0xAE:
    case 0xAF: return {F32, 0, I64};
    case 0xB0:
    case 0xB1: return {F64, 0, I64};
    case 0xB2:
    case 0xB3: return {I32, 0, F32};
    case 0xB4:
    case 0xB5: return {I64, 0, F32};
    case 0xB6: return {F64, 0, F32};
    case 0xB7:
    case 0xB8: return {I32, 0, F64};
    case 0xB9:
    case 0xBA: return {I64, 0, F64};
    case 0xBB: return {F32, 0, F64};
    case 0xBC: return {F32, 0, I32};
    case 0xBD: return {F64, 0, I64};
    case 0xBE: return {I32, 0, F32};
    case 0xBF: return {I64, 0, F64};
    case 0xC0:
    case 0xC1: return {I32, 0, I32};
    default: return {I64, 0, I64};  // 0xC2..0xC4
  }
}

// Memory access instructions 0x28..0x3E: value type, natural alignment (log2), store?
struct MemoryAccess {
  uint8_t type;
  uint8_t max_align;
  bool store;
};

constexpr MemoryAccess kMemoryAccess[] = {
    {I32, 2, false}, {I64, 3, false}, {F32, 2, false}, {F64, 3, false}, {I32, 0, false},
    {I32, 0, false}, {I32, 1, false}, {I32, 1, false}, {I64, 0, false}, {I64, 0, false},
    {I64, 1, false}, {I64, 1, false}, {I64, 2, false}, {I64, 2, false}, {I32, 2, true},
    {I64, 3, true},  {F32, 2, true},  {F64, 3, true},  {I32, 0, true},  {I32, 1, true},
    {I64, 0, true},  {I64, 1, true},  {I64, 2, true},
};

class FunctionCompiler {
 public:
  FunctionCompiler(const ModuleContext& context, LebReader& reader, const ValType* locals,
                   FuncBody& body, Arena& arena)
      : ctx_(context),
        m_(*context.module),
        limits_(*context.limits),
        r_(reader),
        locals_(locals),
        body_(body),
        arena_(arena) {}

  Status Run();

 private:
  Status Invalid(const char* message) const {
    return Status(ErrorCode::kInvalid, message, instr_at_);
  }
  Control& Top() { return ctrl_[ctrl_size_ - 1]; }
  // Whether code at this point is emitted: reachable, inside a block that is itself reachable.
  bool Live() const { return !ctrl_[ctrl_size_ - 1].unreachable && !ctrl_[ctrl_size_ - 1].dead; }

  // --- operand stack: a type and, for live code, the frame slot holding the value ---
  // Operand k's own slot is local_count + k; a local.get leaves the local's slot there instead
  // (no copy) until something needs the value in its own slot.
  uint32_t Own(uint32_t k) const { return body_.local_count + k; }
  Status Push(uint8_t type) {
    if (vals_size_ >= vals_capacity_) {
      return Status(ErrorCode::kResourceExhausted, "operand stack deeper than the limit",
                    instr_at_);
    }
    srcs_[vals_size_] = Own(vals_size_);
    vals_[vals_size_++] = type;
    if (vals_size_ > max_height_) max_height_ = vals_size_;
    return Status::Ok();
  }
  Result<uint8_t> Pop() {
    if (vals_size_ == Top().height) {
      if (Top().unreachable) return kUnknown;
      return Invalid("type mismatch: operand stack underflow");
    }
    return vals_[--vals_size_];
  }
  bool TopIsConstant() const {
    return vals_size_ > ctrl_[ctrl_size_ - 1].height && Live() &&
           (srcs_[vals_size_ - 1] & kConstant) != 0;
  }
  bool TopIsAddend() const {
    return vals_size_ > ctrl_[ctrl_size_ - 1].height && Live() &&
           (srcs_[vals_size_ - 1] & kAddend) != 0;
  }
  bool TopIsLocal() const {
    return vals_size_ > ctrl_[ctrl_size_ - 1].height && Live() &&
           srcs_[vals_size_ - 1] < body_.local_count;
  }
  // Pops an operand of type `expected`; `slot` receives where its value is.
  Status PopExpect(uint8_t expected, uint32_t* slot = nullptr) {
    if (slot != nullptr && (TopIsConstant() || TopIsAddend())) {
      TC_RETURN_IF_ERROR(Materialize(vals_size_ - 1));
    }
    const uint32_t before = vals_size_;
    TC_ASSIGN_OR_RETURN(uint8_t actual, Pop());
    if (actual != expected && actual != kUnknown && expected != kUnknown) {
      return Invalid("type mismatch");
    }
    if (slot != nullptr) *slot = vals_size_ < before ? srcs_[vals_size_] : 0;
    return Status::Ok();
  }
  Status PopTypes(const ValType* types, uint32_t count) {
    for (uint32_t i = count; i-- > 0;)
      TC_RETURN_IF_ERROR(PopExpect(static_cast<uint8_t>(types[i])));
    return Status::Ok();
  }
  Status PushTypes(const ValType* types, uint32_t count) {
    for (uint32_t i = 0; i < count; ++i) TC_RETURN_IF_ERROR(Push(static_cast<uint8_t>(types[i])));
    return Status::Ok();
  }
  void MarkUnreachable() {
    vals_size_ = Top().height;
    Top().unreachable = true;
    FlushFuel();
  }
  // Pushes a constant without emitting anything yet.
  Status PushConstant(uint8_t type, uint64_t value) {
    TC_RETURN_IF_ERROR(Push(type));
    if (Live()) {
      srcs_[vals_size_ - 1] = kConstant;
      consts_[vals_size_ - 1] = value;
    }
    return Status::Ok();
  }
  // Writes constant operand k's value to `slot`.
  Status EmitConstant(uint32_t k, uint32_t slot) {
    const bool wide = vals_[k] == I64 || vals_[k] == F64;
    TC_RETURN_IF_ERROR(EmitOp(wide ? op::kI64Const : op::kI32Const));
    TC_RETURN_IF_ERROR(Emit(slot));
    TC_RETURN_IF_ERROR(Emit(static_cast<uint32_t>(consts_[k])));
    return wide ? Emit(static_cast<uint32_t>(consts_[k] >> 32)) : Status::Ok();
  }
  // Puts operand k into its own slot if it is still a local or a pending constant.
  Status Materialize(uint32_t k) {
    if (srcs_[k] == Own(k)) return Status::Ok();
    if (srcs_[k] & kConstant) {
      TC_RETURN_IF_ERROR(EmitConstant(k, Own(k)));
      srcs_[k] = Own(k);
      return Status::Ok();
    }
    if (srcs_[k] & kAddend) {
      TC_RETURN_IF_ERROR(EmitOp(op::ImmOf(0x6A)));
      TC_RETURN_IF_ERROR(Emit(Own(k)));
      TC_RETURN_IF_ERROR(Emit(srcs_[k] & kSlotMask));
      TC_RETURN_IF_ERROR(Emit(static_cast<uint32_t>(consts_[k])));
      last_dst_site_ = code_size_ - 3;  // an ordinary add result: loads may still fold it
      srcs_[k] = Own(k);
      return Status::Ok();
    }
    TC_RETURN_IF_ERROR(EmitOp(op::kCopy));
    TC_RETURN_IF_ERROR(Emit(Own(k)));
    TC_RETURN_IF_ERROR(Emit(srcs_[k]));
    srcs_[k] = Own(k);
    return Status::Ok();
  }
  // Before control flow and calls every operand is in its own slot.
  Status MaterializeAll() {
    if (!Live()) return Status::Ok();
    for (uint32_t k = 0; k < vals_size_; ++k) TC_RETURN_IF_ERROR(Materialize(k));
    return Status::Ok();
  }
  // Before local `index` changes, operands still reading it get their own copy.
  Status MaterializeReadersOf(uint32_t index) {
    for (uint32_t k = 0; k < vals_size_; ++k) {
      if (srcs_[k] == index || srcs_[k] == (kAddend | index)) TC_RETURN_IF_ERROR(Materialize(k));
    }
    return Status::Ok();
  }

  // --- emission ---
  Status Emit(uint32_t word) {
    if (code_size_ >= code_capacity_) {
      return Status(ErrorCode::kResourceExhausted, "module arena exhausted by code", instr_at_);
    }
    code_[code_size_++] = word;
    return Status::Ok();
  }
  Status EmitOp(uint32_t opcode) {
    ++fuel_ops_;
    last_dst_site_ = kNoSite;
    last_op_start_ = code_size_;
    return Emit(opcode);
  }
  // If the i32 condition in `cond` was just computed by a compare into its own slot (at
  // position `k`), removes that compare and returns its opcode for fusing into a branch.
  uint32_t TakeCompare(uint32_t cond, uint32_t k) {
    if (last_dst_site_ == kNoSite || last_dst_site_ != last_op_start_ + 1 ||
        code_[last_dst_site_] != cond || cond != Own(k)) {
      return UINT32_MAX;
    }
    const uint32_t index = op::CompareIndex(code_[last_op_start_]);
    if (index == UINT32_MAX) return UINT32_MAX;
    fused_a_ = code_[last_op_start_ + 2];
    fused_b_ = index == 20 ? 0 : code_[last_op_start_ + 3];
    code_size_ = last_op_start_;
    last_dst_site_ = kNoSite;
    return index;
  }
  // Emits a fused compare-branch (`base` + index) up to, not including, its target word.
  Status EmitFusedBranch(uint32_t base, uint32_t index) {
    TC_RETURN_IF_ERROR(EmitOp(base + index));
    TC_RETURN_IF_ERROR(Emit(fused_a_));
    return index == 20 ? Status::Ok() : Emit(fused_b_);
  }
  // Emits `opcode dst` for a result pushed onto the stack, remembering where dst is so a
  // following local.set can retarget it.
  Status EmitResultOp(uint32_t opcode, uint8_t type) {
    TC_RETURN_IF_ERROR(Push(type));
    TC_RETURN_IF_ERROR(EmitOp(opcode));
    last_dst_site_ = code_size_;
    return Emit(Own(vals_size_ - 1));
  }
  void FlushFuel() {
    if (fuel_site_ != kNoSite) code_[fuel_site_] = fuel_ops_ + 1;
    fuel_site_ = kNoSite;
  }
  Status EmitFuelSite() {
    TC_RETURN_IF_ERROR(EmitOp(op::kFuel));
    fuel_site_ = code_size_;
    fuel_ops_ = 0;
    return Emit(1);
  }
  // A jump target word: resolved now for loops, chained for later resolution otherwise.
  Status EmitTarget(Control& target) {
    if (target.kind == Kind::kLoop) {
      return Emit(static_cast<uint32_t>(static_cast<int32_t>(target.loop_target) -
                                        static_cast<int32_t>(code_size_)));
    }
    const uint32_t site = code_size_;
    TC_RETURN_IF_ERROR(Emit(target.patch_head));
    target.patch_head = site;
    return Status::Ok();
  }
  void Resolve(uint32_t head, uint32_t destination) {
    while (head != kNoSite) {
      const uint32_t next = code_[head];
      code_[head] =
          static_cast<uint32_t>(static_cast<int32_t>(destination) - static_cast<int32_t>(head));
      head = next;
    }
    last_dst_site_ = kNoSite;  // a jump target: the previous instruction is not the only way in
  }
  // The move of a branch's values into the label's slots: count, from, to.
  Status EmitMove(const Control& target, uint32_t arity) {
    TC_RETURN_IF_ERROR(Emit(arity));
    TC_RETURN_IF_ERROR(Emit(Own(vals_size_ - arity)));
    return Emit(Own(target.height));
  }

  Result<Control*> Label(uint32_t depth) {
    if (depth >= ctrl_size_) return Invalid("unknown label");
    return &ctrl_[ctrl_size_ - 1 - depth];
  }
  static uint32_t LabelArity(const Control& c) {
    return c.kind == Kind::kLoop ? c.type.param_count : c.type.result_count;
  }
  static const ValType* LabelTypes(const Control& c) {
    return c.kind == Kind::kLoop ? c.type.params : c.type.results;
  }

  Result<BlockType> ReadBlockType();
  Status PushControl(Kind kind, const BlockType& type);
  Status OpBlock(Kind kind);
  Status OpElse();
  Status OpEnd();
  Status OpBr();
  Status OpBrIf();
  Status OpBrTable();
  Status OpCall(uint32_t opcode, uint32_t immediate, const FuncType& type, uint32_t index_slot);
  Status OpLocal(uint8_t opcode);
  Status OpMemArg(uint8_t opcode);
  Status OpPrefixed();
  Status OpNumeric(uint8_t opcode);
  Status Step(uint8_t opcode);

  const ModuleContext& ctx_;
  const Module& m_;
  const Limits& limits_;
  LebReader& r_;
  const ValType* locals_;
  FuncBody& body_;
  Arena& arena_;
  uint32_t instr_at_ = 0;

  uint8_t* vals_ = nullptr;
  uint32_t* srcs_ = nullptr;
  uint32_t vals_capacity_ = 0;
  uint32_t vals_size_ = 0;
  uint32_t max_height_ = 0;
  Control* ctrl_ = nullptr;
  uint32_t ctrl_capacity_ = 0;
  uint32_t ctrl_size_ = 0;
  uint32_t* code_ = nullptr;
  uint32_t code_size_ = 0;
  uint32_t code_capacity_ = 0;
  uint32_t fuel_site_ = kNoSite;
  uint32_t fuel_ops_ = 0;
  uint32_t last_dst_site_ = kNoSite;
  uint32_t last_op_start_ = kNoSite;
  uint64_t* consts_ = nullptr;
  uint32_t fused_a_ = 0;
  uint32_t fused_b_ = 0;
};

Result<BlockType> FunctionCompiler::ReadBlockType() {
  TC_ASSIGN_OR_RETURN(int64_t v, r_.S33());
  BlockType bt;
  static constexpr ValType kSingle[4] = {ValType::kI32, ValType::kI64, ValType::kF32,
                                         ValType::kF64};
  if (v >= 0) {
    if (v >= m_.type_count) return Invalid("unknown type");
    const FuncType& t = m_.types[v];
    return BlockType{t.params(), t.results(), t.param_count, t.result_count};
  }
  if (v == -64) return bt;
  if (v >= -4) {
    bt.results = &kSingle[-v - 1];
    bt.result_count = 1;
    return bt;
  }
  return Status(ErrorCode::kMalformed, "malformed block type", instr_at_ + 1);
}

Status FunctionCompiler::PushControl(Kind kind, const BlockType& type) {
  if (ctrl_size_ >= ctrl_capacity_) {
    return Status(ErrorCode::kResourceExhausted, "blocks nested deeper than the limit", instr_at_);
  }
  const bool dead = ctrl_size_ > 0 && !Live();
  ctrl_[ctrl_size_++] =
      Control{kind, false, dead, vals_size_ - type.param_count, type, kNoSite, kNoSite, 0};
  return Status::Ok();
}

Status FunctionCompiler::OpBlock(Kind kind) {
  TC_ASSIGN_OR_RETURN(BlockType type, ReadBlockType());
  uint32_t cond = 0;
  if (kind == Kind::kIf) TC_RETURN_IF_ERROR(PopExpect(I32, &cond));
  TC_RETURN_IF_ERROR(MaterializeAll());
  TC_RETURN_IF_ERROR(PopTypes(type.params, type.param_count));
  TC_RETURN_IF_ERROR(PushTypes(type.params, type.param_count));
  const bool live = Live();
  if (live) FlushFuel();
  TC_RETURN_IF_ERROR(PushControl(kind, type));
  if (!live) return Status::Ok();
  if (kind == Kind::kLoop) {
    Top().loop_target = code_size_;
    last_dst_site_ = kNoSite;
    return EmitFuelSite();
  }
  if (kind == Kind::kIf) {
    // The condition was popped before the parameters: it sits just above them.
    // An `if` jumps to its else branch when the compare is false: branch on the inverse.
    const uint32_t fused = TakeCompare(cond, vals_size_);
    if (fused == 20) {
      TC_RETURN_IF_ERROR(EmitOp(op::kBrIf));  // (if (eqz x)) skips when x != 0
      TC_RETURN_IF_ERROR(Emit(fused_a_));
    } else if (fused != UINT32_MAX) {
      TC_RETURN_IF_ERROR(EmitFusedBranch(op::kBrIfCmpBase, op::InverseCompare(fused)));
    } else {
      TC_RETURN_IF_ERROR(EmitOp(op::kBrUnless));
      TC_RETURN_IF_ERROR(Emit(cond));
    }
    Top().else_site = code_size_;
    return Emit(kNoSite);
  }
  return Status::Ok();
}

Status FunctionCompiler::OpElse() {
  Control& c = Top();
  if (c.kind != Kind::kIf) return Invalid("else without matching if");
  TC_RETURN_IF_ERROR(MaterializeAll());
  TC_RETURN_IF_ERROR(PopTypes(c.type.results, c.type.result_count));
  if (vals_size_ != c.height) return Invalid("type mismatch: values remaining at end of block");
  if (Live()) {
    FlushFuel();
    TC_RETURN_IF_ERROR(EmitOp(op::kBr));
    TC_RETURN_IF_ERROR(EmitTarget(c));
  }
  if (c.else_site != kNoSite) {
    Resolve(c.else_site, code_size_);
    c.else_site = kNoSite;
  }
  c.kind = Kind::kElse;
  c.unreachable = false;
  return PushTypes(c.type.params, c.type.param_count);
}

Status FunctionCompiler::OpEnd() {
  Control& c = Top();
  TC_RETURN_IF_ERROR(MaterializeAll());
  TC_RETURN_IF_ERROR(PopTypes(c.type.results, c.type.result_count));
  if (vals_size_ != c.height) return Invalid("type mismatch: values remaining at end of block");
  if (c.kind == Kind::kIf) {
    // An `if` without `else` passes its parameters through as its results.
    if (c.type.param_count != c.type.result_count ||
        (c.type.param_count != 0 &&
         std::memcmp(c.type.params, c.type.results, c.type.param_count) != 0)) {
      return Invalid("type mismatch: if without else must not change the stack");
    }
  }
  if (Live()) FlushFuel();
  if (c.else_site != kNoSite) Resolve(c.else_site, code_size_);
  Resolve(c.patch_head, code_size_);
  const bool was_function = c.kind == Kind::kFunction;
  const BlockType type = c.type;
  --ctrl_size_;
  if (was_function) {
    // Falling off the end of the function (or a branch to its label) returns.
    TC_RETURN_IF_ERROR(EmitOp(op::kReturn));
    return Emit(Own(0));
  }
  return PushTypes(type.results, type.result_count);
}

Status FunctionCompiler::OpBr() {
  TC_ASSIGN_OR_RETURN(uint32_t depth, r_.U32());
  TC_ASSIGN_OR_RETURN(Control * target, Label(depth));
  const uint32_t arity = LabelArity(*target);
  TC_RETURN_IF_ERROR(MaterializeAll());
  if (Live()) {
    FlushFuel();
    if (vals_size_ < target->height + arity) return Invalid("type mismatch");
    if (arity == 0 || vals_size_ - arity == target->height) {
      TC_RETURN_IF_ERROR(EmitOp(op::kBr));
    } else {
      TC_RETURN_IF_ERROR(EmitOp(op::kBrMove));
      TC_RETURN_IF_ERROR(EmitMove(*target, arity));
    }
    TC_RETURN_IF_ERROR(EmitTarget(*target));
  }
  TC_RETURN_IF_ERROR(PopTypes(LabelTypes(*target), arity));
  MarkUnreachable();
  return Status::Ok();
}

Status FunctionCompiler::OpBrIf() {
  TC_ASSIGN_OR_RETURN(uint32_t depth, r_.U32());
  TC_ASSIGN_OR_RETURN(Control * target, Label(depth));
  uint32_t cond = 0;
  TC_RETURN_IF_ERROR(PopExpect(I32, &cond));
  const uint32_t arity = LabelArity(*target);
  if (Live()) {
    // Check the label's types without disturbing where the operands live.
    const uint32_t height = vals_size_;
    TC_RETURN_IF_ERROR(PopTypes(LabelTypes(*target), arity));
    vals_size_ = height;
  } else {
    TC_RETURN_IF_ERROR(PopTypes(LabelTypes(*target), arity));
    TC_RETURN_IF_ERROR(PushTypes(LabelTypes(*target), arity));
  }
  // The condition's slot is above every operand, so materialising cannot overwrite it.
  TC_RETURN_IF_ERROR(MaterializeAll());
  if (Live()) {
    FlushFuel();
    if (arity == 0 || vals_size_ - arity == target->height) {
      const uint32_t fused = TakeCompare(cond, vals_size_);
      if (fused != UINT32_MAX) {
        TC_RETURN_IF_ERROR(EmitFusedBranch(op::kBrIfCmpBase, fused));
        return EmitTarget(*target);
      }
      TC_RETURN_IF_ERROR(EmitOp(op::kBrIf));
      TC_RETURN_IF_ERROR(Emit(cond));
    } else {
      TC_RETURN_IF_ERROR(EmitOp(op::kBrIfMove));
      TC_RETURN_IF_ERROR(Emit(cond));
      TC_RETURN_IF_ERROR(EmitMove(*target, arity));
    }
    TC_RETURN_IF_ERROR(EmitTarget(*target));
  }
  return Status::Ok();
}

Status FunctionCompiler::OpBrTable() {
  const uint32_t count_at = r_.offset();
  TC_ASSIGN_OR_RETURN(uint32_t count, r_.U32());
  if (count > limits_.max_br_table_targets) {
    return Status(ErrorCode::kResourceExhausted, "br_table larger than the limit", count_at);
  }
  if (count > r_.remaining()) return r_.Error("unexpected end: br_table out of bounds");
  // Decode every label first: a truncated table is malformed before it is invalid.
  const LebReader labels = r_;
  for (uint32_t i = 0; i <= count; ++i) TC_RETURN_IF_ERROR(r_.U32().status());
  const LebReader after = r_;
  r_ = labels;
  uint32_t index = 0;
  TC_RETURN_IF_ERROR(PopExpect(I32, &index));
  TC_RETURN_IF_ERROR(MaterializeAll());
  const bool live = Live();
  if (live) {
    FlushFuel();
    TC_RETURN_IF_ERROR(EmitOp(op::kBrTable));
    TC_RETURN_IF_ERROR(Emit(index));
    TC_RETURN_IF_ERROR(Emit(count));
  }
  // Every label must accept the operands; the default label fixes the arity.
  uint32_t arity = UINT32_MAX;
  const ValType* types = nullptr;
  const uint32_t height = vals_size_;
  for (uint32_t i = 0; i <= count; ++i) {
    TC_ASSIGN_OR_RETURN(uint32_t depth, r_.U32());
    TC_ASSIGN_OR_RETURN(Control * target, Label(depth));
    const uint32_t label_arity = LabelArity(*target);
    // WebAssembly 1.0 (and this suite) require identical label types, even in dead code.
    if (arity != UINT32_MAX &&
        (label_arity != arity ||
         (arity != 0 && std::memcmp(types, LabelTypes(*target), arity) != 0))) {
      return Invalid("type mismatch: br_table labels have different types");
    }
    arity = label_arity;
    types = LabelTypes(*target);
    // Check the label's types against the operands without consuming them.
    TC_RETURN_IF_ERROR(PopTypes(LabelTypes(*target), label_arity));
    vals_size_ = height;
    if (live) {
      TC_RETURN_IF_ERROR(EmitMove(*target, label_arity));
      TC_RETURN_IF_ERROR(EmitTarget(*target));
    }
  }
  r_ = after;
  MarkUnreachable();
  return Status::Ok();
}

Status FunctionCompiler::OpCall(uint32_t opcode, uint32_t immediate, const FuncType& type,
                                uint32_t index_slot) {
  TC_RETURN_IF_ERROR(PopTypes(type.params(), type.param_count));
  const uint32_t args = vals_size_;
  const bool live = Live();
  // Arguments (and everything below) in their own slots: the callee's frame starts at them.
  vals_size_ += type.param_count;
  TC_RETURN_IF_ERROR(MaterializeAll());
  vals_size_ = args;
  TC_RETURN_IF_ERROR(PushTypes(type.results(), type.result_count));
  if (!live) return Status::Ok();
  FlushFuel();
  TC_RETURN_IF_ERROR(EmitOp(opcode));
  TC_RETURN_IF_ERROR(Emit(immediate));
  if (opcode == op::kCallIndirect) TC_RETURN_IF_ERROR(Emit(index_slot));
  return Emit(Own(args));
}

Status FunctionCompiler::OpLocal(uint8_t opcode) {
  TC_ASSIGN_OR_RETURN(uint32_t index, r_.U32());
  if (index >= body_.local_count) return Invalid("unknown local");
  const uint8_t type = static_cast<uint8_t>(locals_[index]);
  if (opcode == 0x20) {
    TC_RETURN_IF_ERROR(Push(type));
    if (Live()) srcs_[vals_size_ - 1] = index;  // read the local where it is
    return Status::Ok();
  }
  if (TopIsConstant() && vals_[vals_size_ - 1] == type) {
    const uint32_t k = --vals_size_;
    TC_RETURN_IF_ERROR(MaterializeReadersOf(index));
    TC_RETURN_IF_ERROR(EmitConstant(k, index));
    if (opcode == 0x22) {
      TC_RETURN_IF_ERROR(Push(type));
      srcs_[vals_size_ - 1] = index;
    }
    last_dst_site_ = kNoSite;
    return Status::Ok();
  }
  uint32_t value = 0;
  TC_RETURN_IF_ERROR(PopExpect(type, &value));
  const bool live = Live();
  const uint32_t retarget = last_dst_site_;
  if (live) TC_RETURN_IF_ERROR(MaterializeReadersOf(index));
  if (opcode == 0x22) TC_RETURN_IF_ERROR(Push(type));
  if (!live) return Status::Ok();
  if (value != index) {
    if (retarget != kNoSite && last_dst_site_ == retarget && code_[retarget] == value &&
        value == Own(vals_size_ - (opcode == 0x22 ? 1 : 0))) {
      code_[retarget] = index;  // the producing instruction writes the local directly
    } else {
      TC_RETURN_IF_ERROR(EmitOp(op::kCopy));
      TC_RETURN_IF_ERROR(Emit(index));
      TC_RETURN_IF_ERROR(Emit(value));
    }
  }
  if (opcode == 0x22) srcs_[vals_size_ - 1] = index;
  last_dst_site_ = kNoSite;
  return Status::Ok();
}

Status FunctionCompiler::OpMemArg(uint8_t opcode) {
  const MemoryAccess& access = kMemoryAccess[opcode - 0x28];
  TC_ASSIGN_OR_RETURN(uint32_t align, r_.U32());
  TC_ASSIGN_OR_RETURN(uint32_t offset, r_.U32());
  if (!m_.has_memory) return Invalid("unknown memory 0");
  if (align > access.max_align) return Invalid("alignment must not be larger than natural");
  uint32_t address = 0;
  if (access.store) {
    uint32_t value = 0;
    TC_RETURN_IF_ERROR(PopExpect(access.type, &value));
    if (TopIsAddend() && vals_[vals_size_ - 1] == I32) {
      const uint32_t k = --vals_size_;
      TC_RETURN_IF_ERROR(EmitOp(op::kStoreAddBase + (opcode - 0x36)));
      TC_RETURN_IF_ERROR(Emit(srcs_[k] & kSlotMask));
      TC_RETURN_IF_ERROR(Emit(value));
      TC_RETURN_IF_ERROR(Emit(offset));
      return Emit(static_cast<uint32_t>(consts_[k]));
    }
    TC_RETURN_IF_ERROR(PopExpect(I32, &address));
    if (!Live()) return Status::Ok();
    TC_RETURN_IF_ERROR(EmitOp(opcode));
    TC_RETURN_IF_ERROR(Emit(address));
    TC_RETURN_IF_ERROR(Emit(value));
    return Emit(offset);
  }
  if (TopIsAddend() && vals_[vals_size_ - 1] == I32) {
    const uint32_t k = --vals_size_;
    const uint32_t base = srcs_[k] & kSlotMask;  // read before the result reuses position k
    const uint32_t addend = static_cast<uint32_t>(consts_[k]);
    TC_RETURN_IF_ERROR(EmitResultOp(op::kLoadAddBase + (opcode - 0x28), access.type));
    TC_RETURN_IF_ERROR(Emit(base));
    TC_RETURN_IF_ERROR(Emit(offset));
    return Emit(addend);
  }
  TC_RETURN_IF_ERROR(PopExpect(I32, &address));
  if (!Live()) return Push(access.type);
  // `base + constant` computed just before: fold the add into the load.
  if (last_dst_site_ != kNoSite && last_dst_site_ == last_op_start_ + 1 &&
      code_[last_op_start_] == op::ImmOf(0x6A) && code_[last_dst_site_] == address &&
      address == Own(vals_size_)) {
    const uint32_t base = code_[last_op_start_ + 2];
    const uint32_t addend = code_[last_op_start_ + 3];
    code_size_ = last_op_start_;
    TC_RETURN_IF_ERROR(EmitResultOp(op::kLoadAddBase + (opcode - 0x28), access.type));
    TC_RETURN_IF_ERROR(Emit(base));
    TC_RETURN_IF_ERROR(Emit(offset));
    return Emit(addend);
  }
  TC_RETURN_IF_ERROR(EmitResultOp(opcode, access.type));
  TC_RETURN_IF_ERROR(Emit(address));
  return Emit(offset);
}

// Pops `count` i32 operands (the bulk-memory instructions) and emits their slots in order.
Status FunctionCompiler::OpPrefixed() {
  const uint32_t sub_at = r_.offset();
  TC_ASSIGN_OR_RETURN(uint32_t sub, r_.U32());
  uint32_t segment = 0;
  switch (sub) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7: {
      // trunc_sat: i32/i64 result from f32/f64 operand
      uint32_t a = 0;
      TC_RETURN_IF_ERROR(PopExpect((sub & 2) ? F64 : F32, &a));
      if (!Live()) return Push(sub < 4 ? I32 : I64);
      TC_RETURN_IF_ERROR(EmitResultOp(op::kPrefixBase + sub, sub < 4 ? I32 : I64));
      return Emit(a);
    }
    case 8: {
      const uint32_t seg_at = r_.offset();
      TC_ASSIGN_OR_RETURN(segment, r_.U32());
      TC_ASSIGN_OR_RETURN(uint8_t zero, r_.U8());
      if (zero != 0) return Status(ErrorCode::kMalformed, "zero flag expected", seg_at);
      if (!m_.has_memory) return Invalid("unknown memory 0");
      if (!ctx_.has_data_count) {
        return Status(ErrorCode::kMalformed, "data count section required", instr_at_);
      }
      if (segment >= ctx_.data_count) return Invalid("unknown data segment");
      break;
    }
    case 9: {
      TC_ASSIGN_OR_RETURN(segment, r_.U32());
      if (!ctx_.has_data_count) {
        return Status(ErrorCode::kMalformed, "data count section required", instr_at_);
      }
      if (segment >= ctx_.data_count) return Invalid("unknown data segment");
      if (!Live()) return Status::Ok();
      TC_RETURN_IF_ERROR(EmitOp(op::kDataDrop));
      return Emit(segment);
    }
    case 10:
    case 11: {
      const uint32_t zero_at = r_.offset();
      TC_ASSIGN_OR_RETURN(uint8_t zero, r_.U8());
      if (zero != 0) return Status(ErrorCode::kMalformed, "zero flag expected", zero_at);
      if (sub == 10) {
        TC_ASSIGN_OR_RETURN(uint8_t zero2, r_.U8());
        if (zero2 != 0) return Status(ErrorCode::kMalformed, "zero flag expected", zero_at + 1);
      }
      if (!m_.has_memory) return Invalid("unknown memory 0");
      break;
    }
    case 12: {
      TC_ASSIGN_OR_RETURN(segment, r_.U32());
      TC_ASSIGN_OR_RETURN(uint32_t table, r_.U32());
      if (!m_.has_table || table != 0) return Invalid("unknown table 0");
      if (segment >= m_.elem_count) return Invalid("unknown elem segment");
      break;
    }
    case 13: {
      TC_ASSIGN_OR_RETURN(segment, r_.U32());
      if (segment >= m_.elem_count) return Invalid("unknown elem segment");
      if (!Live()) return Status::Ok();
      TC_RETURN_IF_ERROR(EmitOp(op::kElemDrop));
      return Emit(segment);
    }
    case 14: {
      TC_ASSIGN_OR_RETURN(uint32_t dst, r_.U32());
      TC_ASSIGN_OR_RETURN(uint32_t src, r_.U32());
      if (!m_.has_table || dst != 0 || src != 0) return Invalid("unknown table 0");
      break;
    }
    default: return Status(ErrorCode::kMalformed, "illegal opcode", sub_at);
  }
  // memory.init, memory.copy, memory.fill, table.init, table.copy: three i32 operands.
  uint32_t slots[3];
  for (int i = 2; i >= 0; --i) TC_RETURN_IF_ERROR(PopExpect(I32, &slots[i]));
  if (!Live()) return Status::Ok();
  TC_RETURN_IF_ERROR(EmitOp(op::kPrefixBase + sub));
  for (uint32_t slot : slots) TC_RETURN_IF_ERROR(Emit(slot));
  return Emit(segment);
}

Status FunctionCompiler::OpNumeric(uint8_t opcode) {
  const NumericSig sig = NumericSignature(opcode);
  uint32_t a = 0;
  uint32_t b = 0;
  if (op::HasImmForm(opcode) && TopIsConstant() && vals_[vals_size_ - 1] == I32) {
    const uint32_t imm = static_cast<uint32_t>(consts_[--vals_size_]);
    if (opcode == 0x6A && TopIsLocal() && vals_[vals_size_ - 1] == I32) {
      const uint32_t k = vals_size_ - 1;  // local + constant: leave it to its consumer
      srcs_[k] |= kAddend;
      consts_[k] = imm;
      return Status::Ok();
    }
    TC_RETURN_IF_ERROR(PopExpect(I32, &a));
    TC_RETURN_IF_ERROR(EmitResultOp(op::ImmOf(opcode), I32));
    TC_RETURN_IF_ERROR(Emit(a));
    return Emit(imm);
  }
  if (sig.b != 0) TC_RETURN_IF_ERROR(PopExpect(sig.b, &b));
  TC_RETURN_IF_ERROR(PopExpect(sig.a, &a));
  if (!Live()) return Push(sig.r);
  TC_RETURN_IF_ERROR(EmitResultOp(opcode, sig.r));
  TC_RETURN_IF_ERROR(Emit(a));
  return sig.b != 0 ? Emit(b) : Status::Ok();
}

Status FunctionCompiler::Step(uint8_t opcode) {
  switch (opcode) {
    case 0x00:  // unreachable
      if (Live()) TC_RETURN_IF_ERROR(EmitOp(op::kUnreachable));
      MarkUnreachable();
      return Status::Ok();
    case 0x01: return Status::Ok();  // nop
    case 0x02: return OpBlock(Kind::kBlock);
    case 0x03: return OpBlock(Kind::kLoop);
    case 0x04: return OpBlock(Kind::kIf);
    case 0x05: return OpElse();
    case 0x0B: return OpEnd();
    case 0x0C: return OpBr();
    case 0x0D: return OpBrIf();
    case 0x0E: return OpBrTable();
    case 0x0F: {  // return
      const uint32_t n = ctrl_[0].type.result_count;
      TC_RETURN_IF_ERROR(MaterializeAll());
      if (Live()) {
        if (vals_size_ < n) return Invalid("type mismatch");
        TC_RETURN_IF_ERROR(EmitOp(op::kReturn));
        TC_RETURN_IF_ERROR(Emit(Own(vals_size_ - n)));
      }
      TC_RETURN_IF_ERROR(PopTypes(ctrl_[0].type.results, n));
      MarkUnreachable();
      return Status::Ok();
    }
    case 0x10: {
      TC_ASSIGN_OR_RETURN(uint32_t index, r_.U32());
      if (index >= m_.function_count) return Invalid("unknown function");
      return OpCall(op::kCall, index, m_.function_type(index), 0);
    }
    case 0x11: {
      TC_ASSIGN_OR_RETURN(uint32_t type_index, r_.U32());
      const uint32_t zero_at = r_.offset();
      TC_ASSIGN_OR_RETURN(uint8_t zero, r_.U8());
      if (zero != 0) return Status(ErrorCode::kMalformed, "zero flag expected", zero_at);
      if (!m_.has_table) return Invalid("unknown table");
      if (type_index >= m_.type_count) return Invalid("unknown type");
      uint32_t index = 0;
      TC_RETURN_IF_ERROR(PopExpect(I32, &index));
      // The index sits above the arguments; keep it out of their way in a slot of its own.
      return OpCall(op::kCallIndirect, type_index, m_.types[type_index], index);
    }
    case 0x1A: return Pop().status();  // drop: nothing to execute
    case 0x1B: {
      uint32_t c = 0;
      TC_RETURN_IF_ERROR(PopExpect(I32, &c));
      const uint32_t before = vals_size_;
      for (uint32_t k = 0; k < 2 && k < before - Top().height; ++k) {
        if (Live()) TC_RETURN_IF_ERROR(Materialize(before - 1 - k));
      }
      TC_ASSIGN_OR_RETURN(uint8_t b, Pop());
      const uint32_t b_slot = vals_size_ < before ? srcs_[vals_size_] : 0;
      TC_ASSIGN_OR_RETURN(uint8_t a, Pop());
      const uint32_t a_slot = vals_size_ < before - 1 ? srcs_[vals_size_] : 0;
      if (a != b && a != kUnknown && b != kUnknown) return Invalid("type mismatch in select");
      const uint8_t type = a == kUnknown ? b : a;
      if (!Live()) return Push(type);
      TC_RETURN_IF_ERROR(EmitResultOp(op::kSelect, type));
      TC_RETURN_IF_ERROR(Emit(a_slot));
      TC_RETURN_IF_ERROR(Emit(b_slot));
      return Emit(c);
    }
    case 0x20:
    case 0x21:
    case 0x22: return OpLocal(opcode);
    case 0x23:
    case 0x24: {
      TC_ASSIGN_OR_RETURN(uint32_t index, r_.U32());
      if (index >= m_.global_count) return Invalid("unknown global");
      const GlobalType& g = m_.global_types[index];
      if (opcode == 0x24) {
        if (!g.mutable_) return Invalid("global is immutable");
        uint32_t value = 0;
        TC_RETURN_IF_ERROR(PopExpect(static_cast<uint8_t>(g.type), &value));
        if (!Live()) return Status::Ok();
        TC_RETURN_IF_ERROR(EmitOp(opcode));
        TC_RETURN_IF_ERROR(Emit(value));
        return Emit(index);
      }
      if (!Live()) return Push(static_cast<uint8_t>(g.type));
      TC_RETURN_IF_ERROR(EmitResultOp(opcode, static_cast<uint8_t>(g.type)));
      return Emit(index);
    }
    case 0x3F:
    case 0x40: {
      const uint32_t zero_at = r_.offset();
      TC_ASSIGN_OR_RETURN(uint8_t zero, r_.U8());
      if (zero != 0) return Status(ErrorCode::kMalformed, "zero flag expected", zero_at);
      if (!m_.has_memory) return Invalid("unknown memory 0");
      uint32_t delta = 0;
      if (opcode == 0x40) TC_RETURN_IF_ERROR(PopExpect(I32, &delta));
      if (!Live()) return Push(I32);
      TC_RETURN_IF_ERROR(EmitResultOp(opcode, I32));
      return opcode == 0x40 ? Emit(delta) : Status::Ok();
    }
    case 0x41: {
      TC_ASSIGN_OR_RETURN(int32_t v, r_.S32());
      return PushConstant(I32, static_cast<uint32_t>(v));
    }
    case 0x42:
    case 0x44: {
      uint64_t v;
      if (opcode == 0x42) {
        TC_ASSIGN_OR_RETURN(int64_t s, r_.S64());
        v = static_cast<uint64_t>(s);
      } else {
        TC_ASSIGN_OR_RETURN(v, r_.Fixed64());
      }
      return PushConstant(opcode == 0x42 ? I64 : F64, v);
    }
    case 0x43: {
      TC_ASSIGN_OR_RETURN(uint32_t v, r_.Fixed32());
      return PushConstant(F32, v);
    }
    case 0xFC: return OpPrefixed();
    default: break;
  }
  if (opcode >= 0x28 && opcode <= 0x3E) return OpMemArg(opcode);
  if (opcode >= 0x45 && opcode <= 0xC4) return OpNumeric(opcode);
  return Status(ErrorCode::kMalformed, "illegal opcode", instr_at_);
}

Status FunctionCompiler::Run() {
  // Scratch stacks no deeper than the body could ever make them: every nested block takes at
  // least two bytes, every instruction pushes at most as many values as the widest type.
  const uint64_t body_bytes = r_.remaining();
  ctrl_capacity_ = static_cast<uint32_t>(body_bytes / 2 + 2 < limits_.max_control_depth
                                             ? body_bytes / 2 + 2
                                             : limits_.max_control_depth);
  const uint64_t pushes = (body_bytes + 1) * ctx_.max_results;
  vals_capacity_ = static_cast<uint32_t>(
      pushes < limits_.max_operand_height ? pushes : limits_.max_operand_height);
  vals_ = static_cast<uint8_t*>(arena_.AllocateScratch(vals_capacity_, 1));
  srcs_ = static_cast<uint32_t*>(arena_.AllocateScratch(vals_capacity_ * 4u, 4));
  consts_ = static_cast<uint64_t*>(arena_.AllocateScratch(vals_capacity_ * 8u, 8));
  ctrl_ = static_cast<Control*>(
      arena_.AllocateScratch(sizeof(Control) * ctrl_capacity_, alignof(Control)));
  if (arena_.Allocate(0, 4) == nullptr || vals_ == nullptr || srcs_ == nullptr ||
      consts_ == nullptr || ctrl_ == nullptr) {
    return Status(ErrorCode::kResourceExhausted, "module arena exhausted", r_.offset());
  }
  code_ = reinterpret_cast<uint32_t*>(arena_.free_begin());
  code_capacity_ = static_cast<uint32_t>(arena_.free_bytes() / 4);

  const FuncType& type = m_.types[body_.type_index];
  const BlockType function_type{type.params(), type.results(), type.param_count, type.result_count};
  instr_at_ = r_.offset();
  TC_RETURN_IF_ERROR(PushControl(Kind::kFunction, function_type));
  ctrl_[0].height = 0;
  TC_RETURN_IF_ERROR(EmitFuelSite());
  while (ctrl_size_ > 0) {
    instr_at_ = r_.offset();
    if (r_.empty()) return r_.Error("unexpected end of section or function");
    TC_ASSIGN_OR_RETURN(uint8_t opcode, r_.U8());
    TC_RETURN_IF_ERROR(Step(opcode));
  }
  if (!r_.empty()) return r_.Error("section size mismatch: operators after end of function");
  body_.code = code_;
  body_.code_words = code_size_;
  body_.max_height = max_height_;
  arena_.Commit(code_size_ * 4);
  return Status::Ok();
}

}  // namespace

Status CompileFunction(const ModuleContext& context, LebReader& reader, const ValType* locals,
                       FuncBody& body, Arena& arena) {
  FunctionCompiler compiler(context, reader, locals, body, arena);
  return compiler.Run();
}

}  // namespace tc::wasm
