// Linking and instantiation (see instance.h).
#include "tc/wasm/instance.h"

#include <cstring>

namespace tc::wasm {

namespace {

using runtime::TrapReason;

Status LinkError(const char* message, uint32_t import_index) {
  return Status(ErrorCode::kInvalidArgument, message, import_index);
}

bool LimitsMatch(uint64_t actual_min, bool actual_has_max, uint64_t actual_max,
                 const TableLimits& wanted) {
  if (actual_min < wanted.min) return false;
  if (!wanted.has_max) return true;
  return actual_has_max && actual_max <= wanted.max;
}

Status CheckImport(const Module& module, const Import& imp, const Extern& ext, uint32_t i) {
  if (ext.kind != imp.kind) return LinkError("incompatible import type: wrong kind", i);
  switch (imp.kind) {
    case ExternKind::kFunction:
      if (ext.function == nullptr) return LinkError("unknown import", i);
      if (!(*ext.function->type == module.types[imp.type_index])) {
        return LinkError("incompatible import type: function signature", i);
      }
      return Status::Ok();
    case ExternKind::kTable:
      if (ext.table == nullptr) return LinkError("unknown import", i);
      if (!LimitsMatch(ext.table->size, ext.table->has_max, ext.table->max, imp.limits)) {
        return LinkError("incompatible import type: table limits", i);
      }
      return Status::Ok();
    case ExternKind::kMemory:
      if (ext.memory == nullptr) return LinkError("unknown import", i);
      if (!LimitsMatch(ext.memory->pages, ext.memory->has_max, ext.memory->max_pages, imp.limits)) {
        return LinkError("incompatible import type: memory limits", i);
      }
      return Status::Ok();
    case ExternKind::kGlobal:
      if (ext.global == nullptr) return LinkError("unknown import", i);
      if (ext.global->type.type != imp.global.type ||
          ext.global->type.mutable_ != imp.global.mutable_) {
        return LinkError("incompatible import type: global type", i);
      }
      return Status::Ok();
  }
  return LinkError("unknown import", i);
}

Slot EvalConst(const Instance& inst, const ConstExpr& expr) {
  switch (expr.kind) {
    case ConstExpr::Kind::kValue: return expr.value;
    case ConstExpr::Kind::kGlobalGet: return inst.globals[expr.index]->value;
    default: return 0;
  }
}

const Function* EvalRef(const Instance& inst, const ConstExpr& expr) {
  if (expr.kind == ConstExpr::Kind::kRefFunc) return inst.functions[expr.index];
  return nullptr;
}

bool SegmentFits(uint64_t offset, uint64_t count, uint64_t size) { return offset + count <= size; }

// Applies (or, with `dry_run`, only checks) the active segments.
bool ApplySegments(Instance& inst, bool dry_run, TrapReason* trap) {
  const Module& m = *inst.module;
  for (uint32_t i = 0; i < m.elem_count; ++i) {
    const ElemSegment& seg = m.elems[i];
    if (seg.mode == SegmentMode::kPassive) continue;
    if (!dry_run) inst.elem_dropped[i] = true;  // active and declarative ones are used up
    if (seg.mode == SegmentMode::kDeclarative) continue;
    const uint32_t offset = static_cast<uint32_t>(EvalConst(inst, seg.offset));
    if (!SegmentFits(offset, seg.count, inst.table->size)) {
      *trap = TrapReason::kTableOutOfBounds;
      return false;
    }
    if (dry_run) continue;
    for (uint32_t k = 0; k < seg.count; ++k) {
      inst.table->elements[offset + k] = EvalRef(inst, seg.items[k]);
    }
  }
  for (uint32_t i = 0; i < m.data_count; ++i) {
    const DataSegment& seg = m.datas[i];
    if (seg.mode != SegmentMode::kActive) continue;
    if (!dry_run) inst.data_dropped[i] = true;
    const uint32_t offset = static_cast<uint32_t>(EvalConst(inst, seg.offset));
    if (!SegmentFits(offset, seg.size, inst.memory->accessible)) {
      *trap = TrapReason::kMemoryOutOfBounds;
      return false;
    }
    if (!dry_run && seg.size > 0) std::memcpy(inst.memory->data + offset, seg.bytes, seg.size);
  }
  return true;
}

bool SignatureMatches(const FuncType& type, const char* signature) {
  auto letter = [](ValType t) {
    switch (t) {
      case ValType::kI32: return 'i';
      case ValType::kI64: return 'I';
      case ValType::kF32: return 'f';
      case ValType::kF64: return 'F';
      default: return '?';
    }
  };
  const char* p = signature;
  for (uint32_t i = 0; i < type.param_count; ++i, ++p) {
    if (*p != letter(type.params()[i])) return false;
  }
  if (*p++ != ':') return false;
  for (uint32_t i = 0; i < type.result_count; ++i, ++p) {
    if (*p != letter(type.results()[i])) return false;
  }
  return *p == '\0';
}

}  // namespace

int32_t Memory::Grow(uint32_t delta) {
  const uint64_t old_pages = pages;
  const uint64_t new_pages = old_pages + delta;
  const uint64_t limit = has_max ? max_pages : 65536;
  if (new_pages > limit) return -1;
  const uint64_t new_bytes = new_pages * kPageSize;
  // Growing into a page the quota cannot back fully is refused, except that the quota may end
  // inside the last page that was already there.
  if (delta != 0 && new_bytes > capacity) return -1;
  const uint64_t new_accessible = new_bytes < capacity ? new_bytes : capacity;
  if (new_accessible > accessible)
    std::memset(data + accessible, 0, static_cast<size_t>(new_accessible - accessible));
  accessible = new_accessible;
  pages = static_cast<uint32_t>(new_pages);
  return static_cast<int32_t>(old_pages);
}

Result<std::span<uint8_t>> MemoryView::Bytes(uint32_t address, uint32_t length) const {
  if (static_cast<uint64_t>(address) + length > size()) {
    return Status(ErrorCode::kOutOfRange, "buffer outside the guest's memory", address);
  }
  if (memory_ == nullptr) return std::span<uint8_t>();  // (0, 0) of a module without memory
  return std::span<uint8_t>(memory_->data + address, length);
}

Result<Extern> Instance::GetExport(const Name& name, ExternKind kind) const {
  for (uint32_t i = 0; i < module->export_count; ++i) {
    const Export& e = module->exports[i];
    if (e.kind != kind || !(e.name == name)) continue;
    Extern ext;
    ext.kind = kind;
    switch (kind) {
      case ExternKind::kFunction: ext.function = functions[e.index]; break;
      case ExternKind::kTable: ext.table = table; break;
      case ExternKind::kMemory: ext.memory = memory; break;
      case ExternKind::kGlobal: ext.global = globals[e.index]; break;
    }
    return ext;
  }
  return Status(ErrorCode::kNotFound, "unknown export");
}

Result<Extern> Instance::GetExport(const char* name, ExternKind kind) const {
  return GetExport(
      Name{reinterpret_cast<const uint8_t*>(name), static_cast<uint32_t>(std::strlen(name))}, kind);
}

Status ResolveHostImports(const Module& module, std::span<const HostFunctionEntry> table,
                          std::span<Function> functions, std::span<Extern> externs) {
  if (functions.size() < module.import_count || externs.size() < module.import_count) {
    return Status(ErrorCode::kResourceExhausted, "import storage too small");
  }
  for (uint32_t i = 0; i < module.import_count; ++i) {
    const Import& imp = module.imports[i];
    if (imp.kind != ExternKind::kFunction) {
      return Status(ErrorCode::kNotFound, "unknown import: only functions can be imported", i);
    }
    const HostFunctionEntry* found = nullptr;
    bool name_found = false;
    for (const HostFunctionEntry& entry : table) {
      if (!imp.module.Equals(entry.module) || !imp.name.Equals(entry.name)) continue;
      name_found = true;
      if (SignatureMatches(module.types[imp.type_index], entry.signature)) found = &entry;
    }
    if (found == nullptr) {
      return name_found ? LinkError("incompatible import type: function signature", i)
                        : Status(ErrorCode::kNotFound, "unknown import", i);
    }
    functions[i] =
        Function{&module.types[imp.type_index], nullptr, nullptr, found->function, found->context};
    externs[i] = Extern{ExternKind::kFunction, &functions[i], nullptr, nullptr, nullptr};
  }
  return Status::Ok();
}

Result<Instance*> Instantiate(const Module& m, std::span<const Extern> imports, Arena& arena,
                              const InstanceOptions& options, TrapReason* trap) {
  TrapReason ignored;
  if (trap == nullptr) trap = &ignored;
  *trap = TrapReason::kNone;
  if (imports.size() != m.import_count) {
    return Status(ErrorCode::kInvalidArgument, "wrong number of imports");
  }
  for (uint32_t i = 0; i < m.import_count; ++i) {
    TC_RETURN_IF_ERROR(CheckImport(m, m.imports[i], imports[i], i));
  }
  const Status no_room(ErrorCode::kResourceExhausted, "instance arena exhausted");
  Instance* inst = arena.AllocateArray<Instance>(1);
  if (inst == nullptr) return no_room;
  new (inst) Instance();
  inst->module = &m;
  const uint32_t defined_count = m.function_count - m.imported_function_count;
  inst->functions = arena.AllocateArray<const Function*>(m.function_count + 1);
  inst->defined = arena.AllocateArray<Function>(defined_count + 1);
  inst->globals = arena.AllocateArray<Global*>(m.global_count + 1);
  Global* own_globals = arena.AllocateArray<Global>(m.global_count - m.imported_global_count + 1);
  inst->elem_dropped = arena.AllocateArray<bool>(m.elem_count + 1);
  inst->data_dropped = arena.AllocateArray<bool>(m.data_count + 1);
  if (inst->functions == nullptr || inst->defined == nullptr || inst->globals == nullptr ||
      own_globals == nullptr || inst->elem_dropped == nullptr || inst->data_dropped == nullptr) {
    return no_room;
  }

  uint32_t function_index = 0;
  uint32_t global_index = 0;
  for (uint32_t i = 0; i < m.import_count; ++i) {
    const Extern& ext = imports[i];
    switch (ext.kind) {
      case ExternKind::kFunction: inst->functions[function_index++] = ext.function; break;
      case ExternKind::kTable: inst->table = ext.table; break;
      case ExternKind::kMemory: inst->memory = ext.memory; break;
      case ExternKind::kGlobal: inst->globals[global_index++] = ext.global; break;
    }
  }
  for (uint32_t i = 0; i < defined_count; ++i) {
    Function& f = inst->defined[i];
    f.type = &m.types[m.bodies[i].type_index];
    f.instance = inst;
    f.body = &m.bodies[i];
    inst->functions[m.imported_function_count + i] = &f;
  }
  for (uint32_t i = m.imported_global_count; i < m.global_count; ++i) {
    Global& g = own_globals[i - m.imported_global_count];
    g.type = m.global_types[i];
    g.value = EvalConst(*inst, m.global_inits[i - m.imported_global_count]);
    inst->globals[i] = &g;
  }
  if (m.has_table && !m.table_imported) {
    inst->table = arena.AllocateArray<Table>(1);
    if (inst->table == nullptr) return no_room;
    // The count cannot wrap: a table that large never fits any arena anyway.
    if (m.table.min >= UINT32_MAX / sizeof(const Function*)) return no_room;
    inst->table->elements = arena.AllocateArray<const Function*>(m.table.min + 1);
    if (inst->table->elements == nullptr) return no_room;
    inst->table->size = m.table.min;
    inst->table->has_max = m.table.has_max;
    inst->table->max = m.table.max;
  }
  if (m.has_memory && !m.memory_imported) {
    inst->memory = arena.AllocateArray<Memory>(1);
    if (inst->memory == nullptr) return no_room;
    Memory& mem = *inst->memory;
    const uint64_t storage = options.memory_storage.size();
    // A quota may end inside the last initial page (memory below one page), not before it.
    if (m.memory.min > 0 && (uint64_t{m.memory.min} - 1) * kPageSize >= storage) {
      return Status(ErrorCode::kResourceExhausted, "initial memory exceeds the memory quota");
    }
    mem.data = options.memory_storage.data();
    mem.capacity = storage;
    mem.pages = m.memory.min;
    mem.has_max = m.memory.has_max;
    mem.max_pages = m.memory.has_max ? m.memory.max : 65536;
    const uint64_t bytes = uint64_t{m.memory.min} * kPageSize;
    mem.accessible = bytes < storage ? bytes : storage;
    if (mem.accessible > 0) std::memset(mem.data, 0, static_cast<size_t>(mem.accessible));
  }
  if (options.check_segments_first && !ApplySegments(*inst, true, trap)) {
    return Status(ErrorCode::kTrap, "segment does not fit");
  }
  if (!ApplySegments(*inst, false, trap)) return Status(ErrorCode::kTrap, "segment does not fit");
  return inst;
}

const Function* StartFunction(const Instance& instance) {
  return instance.module->has_start ? instance.functions[instance.module->start] : nullptr;
}

}  // namespace tc::wasm
