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
  bool dead;         // entered in unreachable code: nothing inside is emitted
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

  // --- operand type stack ---
  Status Push(uint8_t type) {
    if (vals_size_ >= vals_capacity_) {
      return Status(ErrorCode::kResourceExhausted, "operand stack deeper than the limit",
                    instr_at_);
    }
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
  Status PopExpect(uint8_t expected) {
    TC_ASSIGN_OR_RETURN(uint8_t actual, Pop());
    if (actual != expected && actual != kUnknown && expected != kUnknown) {
      return Invalid("type mismatch");
    }
    return Status::Ok();
  }
  Status PopTypes(const ValType* types, uint32_t count) {
    for (uint32_t i = count; i-- > 0;) TC_RETURN_IF_ERROR(PopExpect(static_cast<uint8_t>(types[i])));
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
    return Emit(opcode);
  }
  void FlushFuel() {
    if (fuel_site_ != kNoSite) code_[fuel_site_] = fuel_ops_ + 1;
    fuel_site_ = kNoSite;
  }
  Status EmitFuelSite() {
    TC_RETURN_IF_ERROR(Emit(op::kFuel));
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
      code_[head] = static_cast<uint32_t>(static_cast<int32_t>(destination) -
                                          static_cast<int32_t>(head));
      head = next;
    }
  }

  // Label arity and stack move of a branch to `depth` from the current height.
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
  Status OpMemArg(uint8_t opcode);
  Status OpPrefixed();
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
  ctrl_[ctrl_size_++] = Control{kind, false,   dead,    vals_size_ - type.param_count,
                                type, kNoSite, kNoSite, 0};
  return Status::Ok();
}

Status FunctionCompiler::OpBlock(Kind kind) {
  TC_ASSIGN_OR_RETURN(BlockType type, ReadBlockType());
  if (kind == Kind::kIf) TC_RETURN_IF_ERROR(PopExpect(I32));
  TC_RETURN_IF_ERROR(PopTypes(type.params, type.param_count));
  TC_RETURN_IF_ERROR(PushTypes(type.params, type.param_count));
  const bool live = Live();
  if (live) FlushFuel();
  TC_RETURN_IF_ERROR(PushControl(kind, type));
  if (!live) return Status::Ok();
  if (kind == Kind::kLoop) {
    Top().loop_target = code_size_;
    return EmitFuelSite();
  }
  if (kind == Kind::kIf) {
    TC_RETURN_IF_ERROR(Emit(op::kBrUnless));
    Top().else_site = code_size_;
    return Emit(kNoSite);
  }
  return Status::Ok();
}

Status FunctionCompiler::OpElse() {
  Control& c = Top();
  if (c.kind != Kind::kIf) return Invalid("else without matching if");
  TC_RETURN_IF_ERROR(PopTypes(c.type.results, c.type.result_count));
  if (vals_size_ != c.height) return Invalid("type mismatch: values remaining at end of block");
  if (Live()) {
    FlushFuel();
    TC_RETURN_IF_ERROR(Emit(op::kBr));
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
  // Falling off the end of the function (or a branch to its label) returns.
  if (was_function) return Emit(op::kReturn);
  return PushTypes(type.results, type.result_count);
}

Status FunctionCompiler::OpBr() {
  TC_ASSIGN_OR_RETURN(uint32_t depth, r_.U32());
  TC_ASSIGN_OR_RETURN(Control * target, Label(depth));
  const uint32_t arity = LabelArity(*target);
  TC_RETURN_IF_ERROR(PopTypes(LabelTypes(*target), arity));
  if (Live()) {
    FlushFuel();
    const uint32_t drop = vals_size_ - target->height;
    if (drop == 0) {
      TC_RETURN_IF_ERROR(Emit(op::kBr));
    } else {
      TC_RETURN_IF_ERROR(Emit(op::kBrMove));
      TC_RETURN_IF_ERROR(Emit(arity));
      TC_RETURN_IF_ERROR(Emit(drop));
    }
    TC_RETURN_IF_ERROR(EmitTarget(*target));
  }
  MarkUnreachable();
  return Status::Ok();
}

Status FunctionCompiler::OpBrIf() {
  TC_ASSIGN_OR_RETURN(uint32_t depth, r_.U32());
  TC_ASSIGN_OR_RETURN(Control * target, Label(depth));
  TC_RETURN_IF_ERROR(PopExpect(I32));
  const uint32_t arity = LabelArity(*target);
  TC_RETURN_IF_ERROR(PopTypes(LabelTypes(*target), arity));
  if (Live()) {
    FlushFuel();
    const uint32_t drop = vals_size_ - target->height;
    if (drop == 0) {
      TC_RETURN_IF_ERROR(Emit(op::kBrIf));
    } else {
      TC_RETURN_IF_ERROR(Emit(op::kBrIfMove));
      TC_RETURN_IF_ERROR(Emit(arity));
      TC_RETURN_IF_ERROR(Emit(drop));
    }
    TC_RETURN_IF_ERROR(EmitTarget(*target));
  }
  return PushTypes(LabelTypes(*target), arity);
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
  TC_RETURN_IF_ERROR(PopExpect(I32));
  const bool live = Live();
  if (live) {
    FlushFuel();
    TC_RETURN_IF_ERROR(Emit(op::kBrTable));
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
      TC_RETURN_IF_ERROR(Emit(label_arity));
      TC_RETURN_IF_ERROR(Emit(height - label_arity - target->height));
      TC_RETURN_IF_ERROR(EmitTarget(*target));
    }
  }
  r_ = after;
  MarkUnreachable();
  return Status::Ok();
}

Status FunctionCompiler::OpMemArg(uint8_t opcode) {
  const MemoryAccess& access = kMemoryAccess[opcode - 0x28];
  TC_ASSIGN_OR_RETURN(uint32_t align, r_.U32());
  TC_ASSIGN_OR_RETURN(uint32_t offset, r_.U32());
  if (!m_.has_memory) return Invalid("unknown memory 0");
  if (align > access.max_align) return Invalid("alignment must not be larger than natural");
  if (access.store) {
    TC_RETURN_IF_ERROR(PopExpect(access.type));
    TC_RETURN_IF_ERROR(PopExpect(I32));
  } else {
    TC_RETURN_IF_ERROR(PopExpect(I32));
    TC_RETURN_IF_ERROR(Push(access.type));
  }
  if (!Live()) return Status::Ok();
  TC_RETURN_IF_ERROR(EmitOp(opcode));
  return Emit(offset);
}

Status FunctionCompiler::OpPrefixed() {
  const uint32_t sub_at = r_.offset();
  TC_ASSIGN_OR_RETURN(uint32_t sub, r_.U32());
  bool live;
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
      TC_RETURN_IF_ERROR(PopExpect((sub & 2) ? F64 : F32));
      TC_RETURN_IF_ERROR(Push(sub < 4 ? I32 : I64));
      if (Live()) TC_RETURN_IF_ERROR(EmitOp(op::kPrefixBase + sub));
      return Status::Ok();
    }
    case 8: {
      const uint32_t seg_at = r_.offset();
      TC_ASSIGN_OR_RETURN(uint32_t segment, r_.U32());
      TC_ASSIGN_OR_RETURN(uint8_t zero, r_.U8());
      if (zero != 0) return Status(ErrorCode::kMalformed, "zero flag expected", seg_at);
      if (!m_.has_memory) return Invalid("unknown memory 0");
      if (!ctx_.has_data_count) {
        return Status(ErrorCode::kMalformed, "data count section required", instr_at_);
      }
      if (segment >= ctx_.data_count) return Invalid("unknown data segment");
      for (int i = 0; i < 3; ++i) TC_RETURN_IF_ERROR(PopExpect(I32));
      if (Live()) {
        TC_RETURN_IF_ERROR(EmitOp(op::kMemoryInit));
        TC_RETURN_IF_ERROR(Emit(segment));
      }
      return Status::Ok();
    }
    case 9: {
      TC_ASSIGN_OR_RETURN(uint32_t segment, r_.U32());
      if (!ctx_.has_data_count) {
        return Status(ErrorCode::kMalformed, "data count section required", instr_at_);
      }
      if (segment >= ctx_.data_count) return Invalid("unknown data segment");
      if (Live()) {
        TC_RETURN_IF_ERROR(EmitOp(op::kDataDrop));
        TC_RETURN_IF_ERROR(Emit(segment));
      }
      return Status::Ok();
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
      for (int i = 0; i < 3; ++i) TC_RETURN_IF_ERROR(PopExpect(I32));
      if (Live()) TC_RETURN_IF_ERROR(EmitOp(op::kPrefixBase + sub));
      return Status::Ok();
    }
    case 12: {
      TC_ASSIGN_OR_RETURN(uint32_t segment, r_.U32());
      TC_ASSIGN_OR_RETURN(uint32_t table, r_.U32());
      if (!m_.has_table || table != 0) return Invalid("unknown table 0");
      if (segment >= m_.elem_count) return Invalid("unknown elem segment");
      for (int i = 0; i < 3; ++i) TC_RETURN_IF_ERROR(PopExpect(I32));
      if (Live()) {
        TC_RETURN_IF_ERROR(EmitOp(op::kTableInit));
        TC_RETURN_IF_ERROR(Emit(segment));
      }
      return Status::Ok();
    }
    case 13: {
      TC_ASSIGN_OR_RETURN(uint32_t segment, r_.U32());
      if (segment >= m_.elem_count) return Invalid("unknown elem segment");
      if (Live()) {
        TC_RETURN_IF_ERROR(EmitOp(op::kElemDrop));
        TC_RETURN_IF_ERROR(Emit(segment));
      }
      return Status::Ok();
    }
    case 14: {
      TC_ASSIGN_OR_RETURN(uint32_t dst, r_.U32());
      TC_ASSIGN_OR_RETURN(uint32_t src, r_.U32());
      if (!m_.has_table || dst != 0 || src != 0) return Invalid("unknown table 0");
      for (int i = 0; i < 3; ++i) TC_RETURN_IF_ERROR(PopExpect(I32));
      live = Live();
      if (live) TC_RETURN_IF_ERROR(EmitOp(op::kTableCopy));
      return Status::Ok();
    }
    default: return Status(ErrorCode::kMalformed, "illegal opcode", sub_at);
  }
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
    case 0x0F:  // return
      TC_RETURN_IF_ERROR(PopTypes(ctrl_[0].type.results, ctrl_[0].type.result_count));
      if (Live()) TC_RETURN_IF_ERROR(EmitOp(op::kReturn));
      MarkUnreachable();
      return Status::Ok();
    case 0x10: {
      TC_ASSIGN_OR_RETURN(uint32_t index, r_.U32());
      if (index >= m_.function_count) return Invalid("unknown function");
      const FuncType& type = m_.function_type(index);
      TC_RETURN_IF_ERROR(PopTypes(type.params(), type.param_count));
      TC_RETURN_IF_ERROR(PushTypes(type.results(), type.result_count));
      if (!Live()) return Status::Ok();
      FlushFuel();
      TC_RETURN_IF_ERROR(Emit(op::kCall));
      return Emit(index);
    }
    case 0x11: {
      TC_ASSIGN_OR_RETURN(uint32_t type_index, r_.U32());
      const uint32_t zero_at = r_.offset();
      TC_ASSIGN_OR_RETURN(uint8_t zero, r_.U8());
      if (zero != 0) return Status(ErrorCode::kMalformed, "zero flag expected", zero_at);
      if (!m_.has_table) return Invalid("unknown table");
      if (type_index >= m_.type_count) return Invalid("unknown type");
      const FuncType& type = m_.types[type_index];
      TC_RETURN_IF_ERROR(PopExpect(I32));
      TC_RETURN_IF_ERROR(PopTypes(type.params(), type.param_count));
      TC_RETURN_IF_ERROR(PushTypes(type.results(), type.result_count));
      if (!Live()) return Status::Ok();
      FlushFuel();
      TC_RETURN_IF_ERROR(Emit(op::kCallIndirect));
      return Emit(type_index);
    }
    case 0x1A:
      TC_RETURN_IF_ERROR(Pop().status());
      return Live() ? EmitOp(op::kDrop) : Status::Ok();
    case 0x1B: {
      TC_RETURN_IF_ERROR(PopExpect(I32));
      TC_ASSIGN_OR_RETURN(uint8_t a, Pop());
      TC_ASSIGN_OR_RETURN(uint8_t b, Pop());
      if (a != b && a != kUnknown && b != kUnknown) return Invalid("type mismatch in select");
      TC_RETURN_IF_ERROR(Push(a == kUnknown ? b : a));
      return Live() ? EmitOp(op::kSelect) : Status::Ok();
    }
    case 0x20:
    case 0x21:
    case 0x22: {
      TC_ASSIGN_OR_RETURN(uint32_t index, r_.U32());
      if (index >= body_.local_count) return Invalid("unknown local");
      const uint8_t type = static_cast<uint8_t>(locals_[index]);
      if (opcode != 0x20) TC_RETURN_IF_ERROR(PopExpect(type));
      if (opcode != 0x21) TC_RETURN_IF_ERROR(Push(type));
      if (!Live()) return Status::Ok();
      TC_RETURN_IF_ERROR(EmitOp(opcode));
      return Emit(index);
    }
    case 0x23:
    case 0x24: {
      TC_ASSIGN_OR_RETURN(uint32_t index, r_.U32());
      if (index >= m_.global_count) return Invalid("unknown global");
      const GlobalType& g = m_.global_types[index];
      if (opcode == 0x24) {
        if (!g.mutable_) return Invalid("global is immutable");
        TC_RETURN_IF_ERROR(PopExpect(static_cast<uint8_t>(g.type)));
      } else {
        TC_RETURN_IF_ERROR(Push(static_cast<uint8_t>(g.type)));
      }
      if (!Live()) return Status::Ok();
      TC_RETURN_IF_ERROR(EmitOp(opcode));
      return Emit(index);
    }
    case 0x3F:
    case 0x40: {
      const uint32_t zero_at = r_.offset();
      TC_ASSIGN_OR_RETURN(uint8_t zero, r_.U8());
      if (zero != 0) return Status(ErrorCode::kMalformed, "zero flag expected", zero_at);
      if (!m_.has_memory) return Invalid("unknown memory 0");
      if (opcode == 0x40) TC_RETURN_IF_ERROR(PopExpect(I32));
      TC_RETURN_IF_ERROR(Push(I32));
      return Live() ? EmitOp(opcode) : Status::Ok();
    }
    case 0x41: {
      TC_ASSIGN_OR_RETURN(int32_t v, r_.S32());
      TC_RETURN_IF_ERROR(Push(I32));
      if (!Live()) return Status::Ok();
      TC_RETURN_IF_ERROR(EmitOp(op::kI32Const));
      return Emit(static_cast<uint32_t>(v));
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
      TC_RETURN_IF_ERROR(Push(opcode == 0x42 ? I64 : F64));
      if (!Live()) return Status::Ok();
      TC_RETURN_IF_ERROR(EmitOp(op::kI64Const));
      TC_RETURN_IF_ERROR(Emit(static_cast<uint32_t>(v)));
      return Emit(static_cast<uint32_t>(v >> 32));
    }
    case 0x43: {
      TC_ASSIGN_OR_RETURN(uint32_t v, r_.Fixed32());
      TC_RETURN_IF_ERROR(Push(F32));
      if (!Live()) return Status::Ok();
      TC_RETURN_IF_ERROR(EmitOp(op::kI32Const));
      return Emit(v);
    }
    case 0xFC: return OpPrefixed();
    default: break;
  }
  if (opcode >= 0x28 && opcode <= 0x3E) return OpMemArg(opcode);
  if (opcode >= 0x45 && opcode <= 0xC4) {
    const NumericSig sig = NumericSignature(opcode);
    if (sig.b != 0) TC_RETURN_IF_ERROR(PopExpect(sig.b));
    TC_RETURN_IF_ERROR(PopExpect(sig.a));
    TC_RETURN_IF_ERROR(Push(sig.r));
    return Live() ? EmitOp(opcode) : Status::Ok();
  }
  return Status(ErrorCode::kMalformed, "illegal opcode", instr_at_);
}

Status FunctionCompiler::Run() {
  // Scratch stacks no deeper than the body could ever make them: every nested block takes at
  // least two bytes, every instruction pushes at most max_results values.
  const uint64_t body_bytes = r_.remaining();
  ctrl_capacity_ = static_cast<uint32_t>(
      body_bytes / 2 + 2 < limits_.max_control_depth ? body_bytes / 2 + 2
                                                     : limits_.max_control_depth);
  const uint64_t pushes = (body_bytes + 1) * (limits_.max_results + 1);
  vals_capacity_ = static_cast<uint32_t>(
      pushes < limits_.max_operand_height ? pushes : limits_.max_operand_height);
  vals_ = static_cast<uint8_t*>(arena_.AllocateScratch(vals_capacity_, 1));
  ctrl_ = static_cast<Control*>(
      arena_.AllocateScratch(sizeof(Control) * ctrl_capacity_, alignof(Control)));
  if (arena_.Allocate(0, 4) == nullptr || vals_ == nullptr || ctrl_ == nullptr) {
    return Status(ErrorCode::kResourceExhausted, "module arena exhausted", r_.offset());
  }
  code_ = reinterpret_cast<uint32_t*>(arena_.free_begin());
  code_capacity_ = static_cast<uint32_t>(arena_.free_bytes() / 4);

  const FuncType& type = m_.types[body_.type_index];
  const BlockType function_type{type.params(), type.results(), type.param_count,
                                type.result_count};
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
