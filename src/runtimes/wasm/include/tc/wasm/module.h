// A decoded and validated module. Decode() checks the binary format (kMalformed) and every
// validation rule (kInvalid), compiles function bodies to the interpreter's internal form and
// places everything in the caller's arena; the input bytes must outlive the module (names and
// data segments point into them).
#pragma once

#include <cstdint>
#include <span>

#include "tc/base/result.h"
#include "tc/wasm/arena.h"
#include "tc/wasm/limits.h"
#include "tc/wasm/types.h"

namespace tc::wasm {

struct Name {
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  bool Equals(const char* text) const;
  bool operator==(const Name& other) const;
};

struct TableLimits {
  uint32_t min = 0;
  uint32_t max = UINT32_MAX;
  bool has_max = false;
};

struct GlobalType {
  ValType type = ValType::kI32;
  bool mutable_ = false;
};

// A constant expression: a value, a global.get, a ref.func or ref.null.
struct ConstExpr {
  enum class Kind : uint8_t { kValue, kGlobalGet, kRefFunc, kRefNull };
  Kind kind = Kind::kValue;
  uint32_t index = 0;  // global or function index
  Slot value = 0;
};

struct Import {
  Name module;
  Name name;
  ExternKind kind = ExternKind::kFunction;
  uint32_t type_index = 0;  // functions
  TableLimits limits;       // tables and memories
  GlobalType global;        // globals
};

struct Export {
  Name name;
  ExternKind kind = ExternKind::kFunction;
  uint32_t index = 0;
};

// A defined function after compilation. `code` is the internal form (see docs/wasm.md).
struct FuncBody {
  const uint32_t* code = nullptr;
  uint32_t code_words = 0;
  uint32_t local_count = 0;  // parameters included
  uint32_t param_count = 0;
  uint32_t result_count = 0;
  uint32_t max_height = 0;  // operand stack slots beyond the locals
  uint32_t type_index = 0;
};

enum class SegmentMode : uint8_t { kActive, kPassive, kDeclarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t table_index = 0;
  ConstExpr offset;
  uint32_t count = 0;
  const ConstExpr* items = nullptr;  // kRefFunc or kRefNull (or global.get of a funcref)
};

struct DataSegment {
  SegmentMode mode = SegmentMode::kActive;
  ConstExpr offset;
  const uint8_t* bytes = nullptr;
  uint32_t size = 0;
};

struct Module {
  std::span<const uint8_t> binary;
  const FuncType* types = nullptr;
  uint32_t type_count = 0;
  const Import* imports = nullptr;
  uint32_t import_count = 0;
  // Function index space: imports first. function_types[i] is a type index.
  const uint32_t* function_types = nullptr;
  uint32_t function_count = 0;
  uint32_t imported_function_count = 0;
  const FuncBody* bodies = nullptr;  // function_count - imported_function_count entries
  bool has_table = false;
  bool table_imported = false;
  TableLimits table;
  bool has_memory = false;
  bool memory_imported = false;
  TableLimits memory;                        // in 64 KiB pages
  const GlobalType* global_types = nullptr;  // index space: imports first
  const ConstExpr* global_inits = nullptr;   // defined globals only
  uint32_t global_count = 0;
  uint32_t imported_global_count = 0;
  const Export* exports = nullptr;
  uint32_t export_count = 0;
  bool has_start = false;
  uint32_t start = 0;
  const ElemSegment* elems = nullptr;
  uint32_t elem_count = 0;
  const DataSegment* datas = nullptr;
  uint32_t data_count = 0;

  const FuncType& function_type(uint32_t index) const { return types[function_types[index]]; }
  // The export called `name` of `kind`, or nullptr.
  const Export* FindExport(const char* name, ExternKind kind) const;
};

// Decodes, validates and compiles `binary`. On error, the Status carries kMalformed (binary
// format), kInvalid (validation), kResourceExhausted (a Limits bound or the arena) with the
// byte offset of the problem.
Result<const Module*> Decode(std::span<const uint8_t> binary, Arena& arena, const Limits& limits);

}  // namespace tc::wasm
