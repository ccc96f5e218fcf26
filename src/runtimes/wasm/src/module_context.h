// What the function-body compiler needs to know about the module being decoded.
#pragma once

#include "tc/wasm/arena.h"
#include "tc/wasm/limits.h"
#include "tc/wasm/module.h"

namespace tc::wasm {

class LebReader;

struct ModuleContext {
  const Module* module;
  const Limits* limits;
  bool has_data_count;
  uint32_t data_count;   // from the data count section
  uint32_t max_results;  // the most results any type has (bounds pushes per instruction)
};

// Validates the body at `reader` (locals already decoded into `body`) and appends its internal
// form to `arena`. `locals` holds the type of every local (parameters first).
Status CompileFunction(const ModuleContext& context, LebReader& reader, const ValType* locals,
                       FuncBody& body, Arena& arena);

}  // namespace tc::wasm
