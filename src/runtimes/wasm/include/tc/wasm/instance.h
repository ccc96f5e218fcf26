// Instantiation: linking a decoded module against imports and laying out its runtime state
// (functions, table, linear memory, globals) in embedder-supplied storage.
#pragma once

#include <cstdint>
#include <span>

#include "tc/base/result.h"
#include "tc/runtime/execution.h"
#include "tc/wasm/arena.h"
#include "tc/wasm/module.h"

namespace tc::wasm {

struct Instance;
class Thread;

inline constexpr uint64_t kPageSize = 65536;

// Linear memory. `pages` is what memory.size reports; only the first `accessible` bytes (at most
// the byte quota `capacity`) can be touched — accesses beyond trap, even inside the last page.
struct Memory {
  uint8_t* data = nullptr;
  uint64_t accessible = 0;
  uint64_t capacity = 0;
  uint32_t pages = 0;
  uint32_t max_pages = 65536;
  bool has_max = false;

  // memory.grow: the old page count, or -1 when the maximum or the quota forbids it.
  int32_t Grow(uint32_t delta);
};

// A bounds-checked window on a guest's linear memory for host functions.
class MemoryView {
 public:
  MemoryView() = default;
  explicit MemoryView(Memory* memory) : memory_(memory) {}
  // The `length` bytes at guest `address`, or kOutOfRange if any lies outside the memory.
  Result<std::span<uint8_t>> Bytes(uint32_t address, uint32_t length) const;
  uint64_t size() const { return memory_ != nullptr ? memory_->accessible : 0; }

 private:
  Memory* memory_ = nullptr;
};

struct HostCall {
  Slot* values;  // the arguments on entry; the function writes its results from the same place
  const FuncType* type;
  MemoryView memory;
  Thread* thread;
};

using HostFunction = runtime::HostAction (*)(void* context, HostCall& call);

struct Function {
  const FuncType* type = nullptr;
  Instance* instance = nullptr;    // owner of a wasm function
  const FuncBody* body = nullptr;  // nullptr: a host function
  HostFunction host = nullptr;
  void* host_context = nullptr;
};

struct Table {
  const Function** elements = nullptr;
  uint32_t size = 0;
  uint32_t max = UINT32_MAX;
  bool has_max = false;
};

struct Global {
  Slot value = 0;
  GlobalType type;
};

// What satisfies one import: exactly one of the pointers is set, matching `kind`.
struct Extern {
  ExternKind kind = ExternKind::kFunction;
  const Function* function = nullptr;
  Table* table = nullptr;
  Memory* memory = nullptr;
  Global* global = nullptr;
};

struct Instance {
  const Module* module = nullptr;
  const Function** functions = nullptr;  // the function index space
  Function* defined = nullptr;
  Table* table = nullptr;
  Memory* memory = nullptr;
  Global** globals = nullptr;
  bool* elem_dropped = nullptr;
  bool* data_dropped = nullptr;

  // The export `name` of `kind` as an Extern, or kNotFound.
  Result<Extern> GetExport(const char* name, ExternKind kind) const;
  Result<Extern> GetExport(const Name& name, ExternKind kind) const;
};

struct InstanceOptions {
  // Storage for a linear memory the module defines; its size is the memory byte quota.
  std::span<uint8_t> memory_storage;
  // WebAssembly 1.0 bounds-checks every active segment before writing any; the bulk-memory
  // semantics (default) apply them in order and stop at the first that does not fit.
  bool check_segments_first = false;
};

// One entry of the embedder's host-function table, matched by (module, name, signature).
struct HostFunctionEntry {
  const char* module;
  const char* name;
  const char* signature;  // params ':' results, letters i I f F (i32 i64 f32 f64), e.g. "ii:i"
  HostFunction function;
  void* context;
};

// Resolves function imports against `table`; every other import kind, a missing name or a
// signature mismatch is a kNotFound / kInvalidArgument error naming the import. `functions`
// receives one Function per import (storage for the Externs written to `externs`).
Status ResolveHostImports(const Module& module, std::span<const HostFunctionEntry> table,
                          std::span<Function> functions, std::span<Extern> externs);

// Links `module` against `imports` (one per import, in order), allocates the instance in `arena`,
// applies segments and runs no code: the caller runs the start function (see StartFunction) on a
// Thread so it is metered like any other code. Link errors: kNotFound / kInvalidArgument;
// segments out of bounds: kTrap with the TrapReason in `trap`.
Result<Instance*> Instantiate(const Module& module, std::span<const Extern> imports, Arena& arena,
                              const InstanceOptions& options, runtime::TrapReason* trap = nullptr);

// The start function of `instance`, or nullptr.
const Function* StartFunction(const Instance& instance);

}  // namespace tc::wasm
