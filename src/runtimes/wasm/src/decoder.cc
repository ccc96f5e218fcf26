// Section-level decoding and validation of a module (function bodies: code_compiler.cc).
#include <cstring>

#include "leb_reader.h"
#include "module_context.h"
#include "tc/wasm/module.h"

namespace tc::wasm {

namespace {

constexpr uint32_t kMaxPages = 65536;

Status Invalid(const char* message, uint32_t position) {
  return Status(ErrorCode::kInvalid, message, position);
}
Status Exhausted(const char* message, uint32_t position) {
  return Status(ErrorCode::kResourceExhausted, message, position);
}

bool IsValidUtf8(const uint8_t* s, uint32_t n) {
  uint32_t i = 0;
  while (i < n) {
    const uint8_t c = s[i];
    uint32_t extra;
    uint32_t min;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i <= extra) return false;
    for (uint32_t k = 1; k <= extra; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

// Section ids in the order they must appear (custom sections excepted).
int SectionRank(uint8_t id) {
  static constexpr int kRank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return id <= 12 ? kRank[id] : -1;
}

class Decoder {
 public:
  Decoder(std::span<const uint8_t> binary, Arena& arena, const Limits& limits)
      : binary_(binary), arena_(arena), limits_(limits) {}

  Result<const Module*> Run();

 private:
  template <typename T>
  Result<T*> Array(uint32_t count, uint32_t position) {
    T* p = arena_.AllocateArray<T>(count == 0 ? 1 : count);
    if (p == nullptr) return Exhausted("module arena exhausted", position);
    return p;
  }
  Result<uint32_t> Count(LebReader& r, uint32_t limit, const char* what);
  Result<Name> ReadName(LebReader& r);
  Result<ValType> ReadValType(LebReader& r);
  Status ReadLimits(LebReader& r, TableLimits& limits, uint32_t bound, bool memory);
  Result<GlobalType> ReadGlobalType(LebReader& r);
  Status ReadConstExpr(LebReader& r, ValType expected, ConstExpr& expr);

  Status TypeSection(LebReader& r);
  Status ImportSection(LebReader& r);
  Status FunctionSection(LebReader& r);
  Status TableSection(LebReader& r);
  Status MemorySection(LebReader& r);
  Status GlobalSection(LebReader& r);
  Status ExportSection(LebReader& r);
  Status StartSection(LebReader& r);
  Status ElementSection(LebReader& r);
  Status DataCountSection(LebReader& r);
  Status CodeSection(LebReader& r);
  Status DataSection(LebReader& r);

  std::span<const uint8_t> binary_;
  Arena& arena_;
  const Limits& limits_;
  Module* m_ = nullptr;
  bool has_data_count_ = false;
  uint32_t data_count_ = 0;
  bool has_code_ = false;
  uint32_t defined_functions_ = 0;
};

Result<uint32_t> Decoder::Count(LebReader& r, uint32_t limit, const char* what) {
  const uint32_t at = r.offset();
  TC_ASSIGN_OR_RETURN(uint32_t n, r.U32());
  if (n > limit) return Exhausted(what, at);
  // Each item takes at least one byte: a count beyond the section is malformed, not a limit.
  if (n > r.remaining())
    return Status(ErrorCode::kMalformed, "unexpected end: count too large", at);
  return n;
}

Result<Name> Decoder::ReadName(LebReader& r) {
  const uint32_t at = r.offset();
  TC_ASSIGN_OR_RETURN(uint32_t n, r.U32());
  if (n > r.remaining()) return r.Error("unexpected end: length out of bounds");
  if (n > limits_.max_name_bytes) return Exhausted("name longer than the limit", at);
  TC_ASSIGN_OR_RETURN(const uint8_t* p, r.Bytes(n));
  if (!IsValidUtf8(p, n)) return Status(ErrorCode::kMalformed, "malformed UTF-8 encoding", at);
  return Name{p, n};
}

Result<ValType> Decoder::ReadValType(LebReader& r) {
  const uint32_t at = r.offset();
  TC_ASSIGN_OR_RETURN(uint8_t b, r.U8());
  switch (b) {
    case 0x7F:
    case 0x7E:
    case 0x7D:
    case 0x7C: return static_cast<ValType>(b);
    default: return Status(ErrorCode::kMalformed, "malformed value type", at);
  }
}

Status Decoder::ReadLimits(LebReader& r, TableLimits& limits, uint32_t bound, bool memory) {
  const uint32_t at = r.offset();
  TC_ASSIGN_OR_RETURN(uint8_t flags, r.U8());
  if (flags > 1) return Status(ErrorCode::kMalformed, "malformed limits flags", at);
  TC_ASSIGN_OR_RETURN(limits.min, r.U32());
  limits.has_max = flags == 1;
  limits.max = UINT32_MAX;
  if (limits.has_max) {
    TC_ASSIGN_OR_RETURN(limits.max, r.U32());
  }
  if (memory && limits.min > bound) {
    return Invalid("memory size must be at most 65536 pages (4GiB)", at);
  }
  if (memory && limits.has_max && limits.max > bound) {
    return Invalid("memory size must be at most 65536 pages (4GiB)", at);
  }
  if (limits.has_max && limits.min > limits.max) {
    return Invalid("size minimum must not be greater than maximum", at);
  }
  return Status::Ok();
}

Result<GlobalType> Decoder::ReadGlobalType(LebReader& r) {
  GlobalType g;
  TC_ASSIGN_OR_RETURN(g.type, ReadValType(r));
  const uint32_t at = r.offset();
  TC_ASSIGN_OR_RETURN(uint8_t mut, r.U8());
  if (mut > 1) return Status(ErrorCode::kMalformed, "malformed mutability", at);
  g.mutable_ = mut == 1;
  return g;
}

Status Decoder::ReadConstExpr(LebReader& r, ValType expected, ConstExpr& expr) {
  const uint32_t at = r.offset();
  TC_ASSIGN_OR_RETURN(uint8_t opcode, r.U8());
  ValType type;
  switch (opcode) {
    case 0x41: {
      TC_ASSIGN_OR_RETURN(int32_t v, r.S32());
      expr = {ConstExpr::Kind::kValue, 0, static_cast<uint32_t>(v)};
      type = ValType::kI32;
      break;
    }
    case 0x42: {
      TC_ASSIGN_OR_RETURN(int64_t v, r.S64());
      expr = {ConstExpr::Kind::kValue, 0, static_cast<uint64_t>(v)};
      type = ValType::kI64;
      break;
    }
    case 0x43: {
      TC_ASSIGN_OR_RETURN(uint32_t v, r.Fixed32());
      expr = {ConstExpr::Kind::kValue, 0, v};
      type = ValType::kF32;
      break;
    }
    case 0x44: {
      TC_ASSIGN_OR_RETURN(uint64_t v, r.Fixed64());
      expr = {ConstExpr::Kind::kValue, 0, v};
      type = ValType::kF64;
      break;
    }
    case 0x23: {
      TC_ASSIGN_OR_RETURN(uint32_t index, r.U32());
      // Only imported globals are initialised when constant expressions run.
      if (index >= m_->imported_global_count) return Invalid("unknown global", at);
      if (m_->global_types[index].mutable_) {
        return Invalid("constant expression required", at);
      }
      expr = {ConstExpr::Kind::kGlobalGet, index, 0};
      type = m_->global_types[index].type;
      break;
    }
    case 0xD0: {
      TC_ASSIGN_OR_RETURN(uint8_t ref_type, r.U8());
      if (ref_type != 0x70) return r.Error("malformed reference type");
      expr = {ConstExpr::Kind::kRefNull, 0, 0};
      type = ValType::kFuncRef;
      break;
    }
    case 0xD2: {
      TC_ASSIGN_OR_RETURN(uint32_t index, r.U32());
      if (index >= m_->function_count) return Invalid("unknown function", at);
      expr = {ConstExpr::Kind::kRefFunc, index, 0};
      type = ValType::kFuncRef;
      break;
    }
    case 0x0B: return Invalid("type mismatch: constant expression is empty", at);
    default:
      // A known non-constant instruction is invalid, anything else cannot be decoded.
      if (opcode <= 0xC4 || opcode == 0xFC) return Invalid("constant expression required", at);
      return Status(ErrorCode::kMalformed, "illegal opcode", at);
  }
  if (type != expected) return Invalid("type mismatch in constant expression", at);
  const uint32_t end_at = r.offset();
  TC_ASSIGN_OR_RETURN(uint8_t end, r.U8());
  if (end != 0x0B) {
    if (end <= 0xC4 || end == 0xD0 || end == 0xD2) {
      return Invalid("type mismatch: constant expression has more than one instruction", end_at);
    }
    return Status(ErrorCode::kMalformed, "illegal opcode", end_at);
  }
  return Status::Ok();
}

Status Decoder::TypeSection(LebReader& r) {
  TC_ASSIGN_OR_RETURN(uint32_t n, Count(r, limits_.max_types, "too many types"));
  TC_ASSIGN_OR_RETURN(FuncType * types, Array<FuncType>(n, r.offset()));
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t at = r.offset();
    TC_ASSIGN_OR_RETURN(uint8_t form, r.U8());
    if (form != 0x60) return Status(ErrorCode::kMalformed, "malformed function type form", at);
    // Parameters and results are allocated back to back (byte-aligned, nothing in between), so
    // they form the one contiguous array FuncType expects.
    ValType* storage = nullptr;
    uint32_t counts[2];
    for (int part = 0; part < 2; ++part) {
      const uint32_t count_at = r.offset();
      TC_ASSIGN_OR_RETURN(counts[part], r.U32());
      const uint32_t limit = part == 0 ? limits_.max_params : limits_.max_results;
      if (counts[part] > limit || counts[part] > UINT16_MAX) {
        return Exhausted(part == 0 ? "too many parameters" : "too many results", count_at);
      }
      if (counts[part] > r.remaining()) return r.Error("unexpected end: too many value types");
      ValType* part_types = arena_.AllocateArray<ValType>(counts[part]);
      if (part_types == nullptr) return Exhausted("module arena exhausted", count_at);
      if (part == 0) storage = part_types;
      for (uint32_t k = 0; k < counts[part]; ++k) {
        TC_ASSIGN_OR_RETURN(part_types[k], ReadValType(r));
      }
    }
    types[i] = {storage, static_cast<uint16_t>(counts[0]), static_cast<uint16_t>(counts[1])};
  }
  m_->types = types;
  m_->type_count = n;
  return Status::Ok();
}

Status Decoder::ImportSection(LebReader& r) {
  TC_ASSIGN_OR_RETURN(uint32_t n, Count(r, limits_.max_imports, "too many imports"));
  TC_ASSIGN_OR_RETURN(Import * imports, Array<Import>(n, r.offset()));
  // Imported functions and globals go first in their index spaces; those arrays are sized
  // here and grown by the function and global sections.
  TC_ASSIGN_OR_RETURN(uint32_t * func_types, Array<uint32_t>(n, r.offset()));
  TC_ASSIGN_OR_RETURN(GlobalType * global_types, Array<GlobalType>(n, r.offset()));
  for (uint32_t i = 0; i < n; ++i) {
    Import& imp = imports[i];
    TC_ASSIGN_OR_RETURN(imp.module, ReadName(r));
    TC_ASSIGN_OR_RETURN(imp.name, ReadName(r));
    const uint32_t at = r.offset();
    TC_ASSIGN_OR_RETURN(uint8_t kind, r.U8());
    switch (kind) {
      case 0: {
        const uint32_t type_at = r.offset();
        TC_ASSIGN_OR_RETURN(imp.type_index, r.U32());
        if (imp.type_index >= m_->type_count) return Invalid("unknown type", type_at);
        func_types[m_->function_count++] = imp.type_index;
        break;
      }
      case 1: {
        TC_ASSIGN_OR_RETURN(uint8_t ref_type, r.U8());
        if (ref_type != 0x70) {
          return Status(ErrorCode::kMalformed, "malformed element type", at + 1);
        }
        TC_RETURN_IF_ERROR(ReadLimits(r, imp.limits, UINT32_MAX, false));
        if (m_->has_table) return Invalid("multiple tables", at);
        m_->has_table = m_->table_imported = true;
        m_->table = imp.limits;
        break;
      }
      case 2:
        TC_RETURN_IF_ERROR(ReadLimits(r, imp.limits, kMaxPages, true));
        if (m_->has_memory) return Invalid("multiple memories", at);
        m_->has_memory = m_->memory_imported = true;
        m_->memory = imp.limits;
        break;
      case 3: {
        TC_ASSIGN_OR_RETURN(imp.global, ReadGlobalType(r));
        global_types[m_->global_count++] = imp.global;
        break;
      }
      default: return Status(ErrorCode::kMalformed, "malformed import kind", at);
    }
    imp.kind = static_cast<ExternKind>(kind);
  }
  if (m_->function_count > limits_.max_functions) return Exhausted("too many functions", 0);
  m_->imports = imports;
  m_->import_count = n;
  m_->function_types = func_types;
  m_->imported_function_count = m_->function_count;
  m_->global_types = global_types;
  m_->imported_global_count = m_->global_count;
  return Status::Ok();
}

Status Decoder::FunctionSection(LebReader& r) {
  TC_ASSIGN_OR_RETURN(uint32_t n, Count(r, limits_.max_functions, "too many functions"));
  const uint32_t total = m_->function_count + n;
  if (total > limits_.max_functions) return Exhausted("too many functions", r.offset());
  TC_ASSIGN_OR_RETURN(uint32_t * func_types, Array<uint32_t>(total, r.offset()));
  for (uint32_t i = 0; i < m_->function_count; ++i) func_types[i] = m_->function_types[i];
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t at = r.offset();
    TC_ASSIGN_OR_RETURN(uint32_t type_index, r.U32());
    if (type_index >= m_->type_count) return Invalid("unknown type", at);
    func_types[m_->function_count + i] = type_index;
  }
  m_->function_types = func_types;
  m_->function_count = total;
  defined_functions_ = n;
  return Status::Ok();
}

Status Decoder::TableSection(LebReader& r) {
  TC_ASSIGN_OR_RETURN(uint32_t n, Count(r, 1000000, "too many tables"));
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t at = r.offset();
    TC_ASSIGN_OR_RETURN(uint8_t ref_type, r.U8());
    if (ref_type != 0x70) return Status(ErrorCode::kMalformed, "malformed element type", at);
    TableLimits limits;
    TC_RETURN_IF_ERROR(ReadLimits(r, limits, UINT32_MAX, false));
    if (m_->has_table) return Invalid("multiple tables", at);
    m_->has_table = true;
    m_->table = limits;
  }
  return Status::Ok();
}

Status Decoder::MemorySection(LebReader& r) {
  TC_ASSIGN_OR_RETURN(uint32_t n, Count(r, 1000000, "too many memories"));
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t at = r.offset();
    TableLimits limits;
    TC_RETURN_IF_ERROR(ReadLimits(r, limits, kMaxPages, true));
    if (m_->has_memory) return Invalid("multiple memories", at);
    m_->has_memory = true;
    m_->memory = limits;
  }
  return Status::Ok();
}

Status Decoder::GlobalSection(LebReader& r) {
  TC_ASSIGN_OR_RETURN(uint32_t n, Count(r, limits_.max_globals, "too many globals"));
  const uint32_t total = m_->global_count + n;
  if (total > limits_.max_globals) return Exhausted("too many globals", r.offset());
  TC_ASSIGN_OR_RETURN(GlobalType * types, Array<GlobalType>(total, r.offset()));
  TC_ASSIGN_OR_RETURN(ConstExpr * inits, Array<ConstExpr>(n, r.offset()));
  for (uint32_t i = 0; i < m_->global_count; ++i) types[i] = m_->global_types[i];
  m_->global_types = types;
  for (uint32_t i = 0; i < n; ++i) {
    TC_ASSIGN_OR_RETURN(types[m_->global_count + i], ReadGlobalType(r));
    TC_RETURN_IF_ERROR(ReadConstExpr(r, types[m_->global_count + i].type, inits[i]));
  }
  m_->global_inits = inits;
  m_->global_count = total;
  return Status::Ok();
}

Status Decoder::ExportSection(LebReader& r) {
  TC_ASSIGN_OR_RETURN(uint32_t n, Count(r, limits_.max_exports, "too many exports"));
  TC_ASSIGN_OR_RETURN(Export * exports, Array<Export>(n, r.offset()));
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t at = r.offset();
    TC_ASSIGN_OR_RETURN(exports[i].name, ReadName(r));
    const uint32_t kind_at = r.offset();
    TC_ASSIGN_OR_RETURN(uint8_t kind, r.U8());
    const uint32_t index_at = r.offset();
    TC_ASSIGN_OR_RETURN(exports[i].index, r.U32());
    const uint32_t index = exports[i].index;
    switch (kind) {
      case 0:
        if (index >= m_->function_count) return Invalid("unknown function", index_at);
        break;
      case 1:
        if (!m_->has_table || index != 0) return Invalid("unknown table", index_at);
        break;
      case 2:
        if (!m_->has_memory || index != 0) return Invalid("unknown memory", index_at);
        break;
      case 3:
        if (index >= m_->global_count) return Invalid("unknown global", index_at);
        break;
      default: return Status(ErrorCode::kMalformed, "malformed export kind", kind_at);
    }
    exports[i].kind = static_cast<ExternKind>(kind);
    for (uint32_t k = 0; k < i; ++k) {
      if (exports[k].name == exports[i].name) return Invalid("duplicate export name", at);
    }
  }
  m_->exports = exports;
  m_->export_count = n;
  return Status::Ok();
}

Status Decoder::StartSection(LebReader& r) {
  const uint32_t at = r.offset();
  TC_ASSIGN_OR_RETURN(m_->start, r.U32());
  if (m_->start >= m_->function_count) return Invalid("unknown function", at);
  const FuncType& type = m_->function_type(m_->start);
  if (type.param_count != 0 || type.result_count != 0) return Invalid("start function", at);
  m_->has_start = true;
  return Status::Ok();
}

Status Decoder::ElementSection(LebReader& r) {
  TC_ASSIGN_OR_RETURN(uint32_t n,
                      Count(r, limits_.max_element_segments, "too many element segments"));
  TC_ASSIGN_OR_RETURN(ElemSegment * segs, Array<ElemSegment>(n, r.offset()));
  for (uint32_t i = 0; i < n; ++i) {
    ElemSegment& seg = segs[i];
    const uint32_t at = r.offset();
    TC_ASSIGN_OR_RETURN(uint32_t flags, r.U32());
    if (flags > 7) return Status(ErrorCode::kMalformed, "malformed elements segment kind", at);
    const bool passive_or_declarative = flags & 1;
    const bool explicit_table = flags & 2;
    const bool expressions = flags & 4;
    seg.mode = !passive_or_declarative ? SegmentMode::kActive
               : explicit_table        ? SegmentMode::kDeclarative
                                       : SegmentMode::kPassive;
    if (seg.mode == SegmentMode::kActive) {
      if (explicit_table) {
        const uint32_t table_at = r.offset();
        TC_ASSIGN_OR_RETURN(seg.table_index, r.U32());
        if (seg.table_index != 0) return Invalid("unknown table", table_at);
      }
      if (!m_->has_table) return Invalid("unknown table", at);
      TC_RETURN_IF_ERROR(ReadConstExpr(r, ValType::kI32, seg.offset));
    }
    if (passive_or_declarative || explicit_table) {
      const uint32_t kind_at = r.offset();
      TC_ASSIGN_OR_RETURN(uint8_t kind, r.U8());
      // elemkind 0x00 (function indices) or reftype funcref (expressions)
      if (kind != (expressions ? 0x70 : 0x00)) {
        return Status(ErrorCode::kMalformed, "malformed element kind", kind_at);
      }
    }
    TC_ASSIGN_OR_RETURN(seg.count,
                        Count(r, limits_.max_segment_entries, "too many segment entries"));
    TC_ASSIGN_OR_RETURN(ConstExpr * items, Array<ConstExpr>(seg.count, r.offset()));
    for (uint32_t k = 0; k < seg.count; ++k) {
      if (expressions) {
        TC_RETURN_IF_ERROR(ReadConstExpr(r, ValType::kFuncRef, items[k]));
      } else {
        const uint32_t index_at = r.offset();
        TC_ASSIGN_OR_RETURN(uint32_t index, r.U32());
        if (index >= m_->function_count) return Invalid("unknown function", index_at);
        items[k] = {ConstExpr::Kind::kRefFunc, index, 0};
      }
    }
    seg.items = items;
  }
  m_->elems = segs;
  m_->elem_count = n;
  return Status::Ok();
}

Status Decoder::DataCountSection(LebReader& r) {
  const uint32_t at = r.offset();
  TC_ASSIGN_OR_RETURN(data_count_, r.U32());
  if (data_count_ > limits_.max_data_segments) return Exhausted("too many data segments", at);
  has_data_count_ = true;
  return Status::Ok();
}

Status Decoder::CodeSection(LebReader& r) {
  const uint32_t count_at = r.offset();
  TC_ASSIGN_OR_RETURN(uint32_t n, r.U32());
  if (n != defined_functions_) {
    return Status(ErrorCode::kMalformed, "function and code section have inconsistent lengths",
                  count_at);
  }
  has_code_ = true;
  TC_ASSIGN_OR_RETURN(FuncBody * bodies, Array<FuncBody>(n, r.offset()));
  m_->bodies = bodies;
  uint32_t max_results = 1;
  for (uint32_t t = 0; t < m_->type_count; ++t) {
    if (m_->types[t].result_count > max_results) max_results = m_->types[t].result_count;
  }
  const ModuleContext context{m_, &limits_, has_data_count_, data_count_, max_results};
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t size_at = r.offset();
    TC_ASSIGN_OR_RETURN(uint32_t size, r.U32());
    if (size > r.remaining()) return r.Error("unexpected end: function body out of bounds");
    if (size > limits_.max_function_body_bytes) {
      return Exhausted("function body larger than the limit", size_at);
    }
    LebReader body(r.pointer(), r.pointer() + size, binary_.data());
    TC_RETURN_IF_ERROR(r.Bytes(size).status());

    FuncBody& fb = bodies[i];
    fb.type_index = m_->function_types[m_->imported_function_count + i];
    const FuncType& type = m_->types[fb.type_index];
    fb.param_count = type.param_count;
    fb.result_count = type.result_count;
    const size_t mark = arena_.ScratchMark();
    ValType* locals = static_cast<ValType*>(arena_.AllocateScratch(limits_.max_locals + 1, 1));
    if (locals == nullptr) return Exhausted("module arena exhausted", size_at);
    if (type.param_count > limits_.max_locals) return Exhausted("too many locals", size_at);
    std::memcpy(locals, type.params(), type.param_count);
    uint64_t local_count = type.param_count;
    const uint32_t groups_at = body.offset();
    TC_ASSIGN_OR_RETURN(uint32_t groups, body.U32());
    if (groups > body.remaining()) return body.Error("unexpected end: too many local groups");
    // First decode every group (more than 2^32-1 locals is malformed), then apply the limit.
    const LebReader groups_start = body;
    for (uint32_t g = 0; g < groups; ++g) {
      TC_ASSIGN_OR_RETURN(uint32_t count, body.U32());
      TC_RETURN_IF_ERROR(ReadValType(body).status());
      local_count += count;
      if (local_count > UINT32_MAX) {
        return Status(ErrorCode::kMalformed, "too many locals", groups_at);
      }
    }
    if (local_count > limits_.max_locals) return Exhausted("too many locals", groups_at);
    body = groups_start;
    local_count = type.param_count;
    for (uint32_t g = 0; g < groups; ++g) {
      TC_ASSIGN_OR_RETURN(uint32_t count, body.U32());
      TC_ASSIGN_OR_RETURN(ValType t, ReadValType(body));
      std::memset(locals + local_count, static_cast<uint8_t>(t), count);
      local_count += count;
    }
    fb.local_count = static_cast<uint32_t>(local_count);
    const Status status = CompileFunction(context, body, locals, fb, arena_);
    arena_.ReleaseScratch(mark);
    TC_RETURN_IF_ERROR(status);
  }
  if (!r.empty()) return r.Error("section size mismatch");
  return Status::Ok();
}

Status Decoder::DataSection(LebReader& r) {
  const uint32_t count_at = r.offset();
  TC_ASSIGN_OR_RETURN(uint32_t n, Count(r, limits_.max_data_segments, "too many data segments"));
  if (has_data_count_ && n != data_count_) {
    return Status(ErrorCode::kMalformed, "data count and data section have inconsistent lengths",
                  count_at);
  }
  TC_ASSIGN_OR_RETURN(DataSegment * segs, Array<DataSegment>(n, r.offset()));
  for (uint32_t i = 0; i < n; ++i) {
    DataSegment& seg = segs[i];
    const uint32_t at = r.offset();
    TC_ASSIGN_OR_RETURN(uint32_t flags, r.U32());
    if (flags > 2) return Status(ErrorCode::kMalformed, "malformed data segment kind", at);
    seg.mode = flags == 1 ? SegmentMode::kPassive : SegmentMode::kActive;
    if (flags == 2) {
      const uint32_t mem_at = r.offset();
      TC_ASSIGN_OR_RETURN(uint32_t memory_index, r.U32());
      if (memory_index != 0) return Invalid("unknown memory", mem_at);
    }
    if (seg.mode == SegmentMode::kActive) {
      if (!m_->has_memory) return Invalid("unknown memory 0", at);
      TC_RETURN_IF_ERROR(ReadConstExpr(r, ValType::kI32, seg.offset));
    }
    TC_ASSIGN_OR_RETURN(seg.size, r.U32());
    TC_ASSIGN_OR_RETURN(seg.bytes, r.Bytes(seg.size));
  }
  m_->datas = segs;
  m_->data_count = n;
  return Status::Ok();
}

Result<const Module*> Decoder::Run() {
  if (binary_.size() > limits_.max_module_bytes) {
    return Exhausted("module larger than the limit", 0);
  }
  m_ = arena_.AllocateArray<Module>(1);
  if (m_ == nullptr) return Exhausted("module arena exhausted", 0);
  new (m_) Module();
  m_->binary = binary_;
  LebReader r(binary_.data(), binary_.data() + binary_.size(), binary_.data());
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
  if (binary_.size() < 4 || std::memcmp(binary_.data(), kMagic, 4) != 0) {
    return Status(ErrorCode::kMalformed, "magic header not detected", 0);
  }
  TC_RETURN_IF_ERROR(r.Bytes(4).status());
  if (r.remaining() < 4) return Status(ErrorCode::kMalformed, "unexpected end", 4);
  TC_ASSIGN_OR_RETURN(uint32_t version, r.Fixed32());
  if (version != 1) return Status(ErrorCode::kMalformed, "unknown binary version", 4);

  int last_rank = 0;
  while (!r.empty()) {
    const uint32_t id_at = r.offset();
    TC_ASSIGN_OR_RETURN(uint8_t id, r.U8());
    TC_ASSIGN_OR_RETURN(uint32_t size, r.U32());
    if (size > r.remaining()) return r.Error("unexpected end: section size out of bounds");
    LebReader section(r.pointer(), r.pointer() + size, binary_.data());
    TC_RETURN_IF_ERROR(r.Bytes(size).status());
    if (id == 0) {
      TC_RETURN_IF_ERROR(ReadName(section).status());
      continue;
    }
    const int rank = SectionRank(id);
    if (rank < 0) return Status(ErrorCode::kMalformed, "malformed section id", id_at);
    if (rank <= last_rank) return Status(ErrorCode::kMalformed, "unexpected section", id_at);
    last_rank = rank;
    Status status;
    switch (id) {
      case 1: status = TypeSection(section); break;
      case 2: status = ImportSection(section); break;
      case 3: status = FunctionSection(section); break;
      case 4: status = TableSection(section); break;
      case 5: status = MemorySection(section); break;
      case 6: status = GlobalSection(section); break;
      case 7: status = ExportSection(section); break;
      case 8: status = StartSection(section); break;
      case 9: status = ElementSection(section); break;
      case 10: status = CodeSection(section); break;
      case 11: status = DataSection(section); break;
      case 12: status = DataCountSection(section); break;
    }
    TC_RETURN_IF_ERROR(status);
    if (!section.empty()) return section.Error("section size mismatch");
  }
  if (defined_functions_ != 0 && !has_code_) {
    return Status(ErrorCode::kMalformed, "function and code section have inconsistent lengths",
                  r.offset());
  }
  if (has_data_count_ && data_count_ != m_->data_count) {
    return Status(ErrorCode::kMalformed, "data count and data section have inconsistent lengths",
                  r.offset());
  }
  return static_cast<const Module*>(m_);
}

}  // namespace

bool Name::Equals(const char* text) const {
  const size_t n = std::strlen(text);
  return n == size && std::memcmp(data, text, n) == 0;
}

bool Name::operator==(const Name& other) const {
  return size == other.size && (size == 0 || std::memcmp(data, other.data, size) == 0);
}

const Export* Module::FindExport(const char* name, ExternKind kind) const {
  for (uint32_t i = 0; i < export_count; ++i) {
    if (exports[i].kind == kind && exports[i].name.Equals(name)) return &exports[i];
  }
  return nullptr;
}

const char* ToString(ValType type) {
  switch (type) {
    case ValType::kI32: return "i32";
    case ValType::kI64: return "i64";
    case ValType::kF32: return "f32";
    case ValType::kF64: return "f64";
    case ValType::kFuncRef: return "funcref";
  }
  return "?";
}

Result<const Module*> Decode(std::span<const uint8_t> binary, Arena& arena, const Limits& limits) {
  Decoder decoder(binary, arena, limits);
  return decoder.Run();
}

}  // namespace tc::wasm
