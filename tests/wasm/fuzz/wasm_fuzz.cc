// libFuzzer target: decode -> validate -> instantiate -> run every export with fuel. Any crash,
// sanitizer report, hang or non-error failure is a bug; rejected input is fine.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tc/wasm/instance.h"
#include "tc/wasm/module.h"
#include "tc/wasm/thread.h"

namespace {

namespace wasm = tc::wasm;

// Every imported function returns zeros.
tc::runtime::HostAction ReturnZeros(void*, wasm::HostCall& call) {
  std::memset(call.values, 0, call.type->result_count * sizeof(wasm::Slot));
  return tc::runtime::HostAction::kContinue;
}

alignas(8) uint8_t g_module_storage[1 << 20];
alignas(8) uint8_t g_instance_storage[1 << 18];
uint8_t g_memory[2 * wasm::kPageSize];
wasm::Slot g_stack[1 << 14];
wasm::Frame g_frames[256];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  wasm::Arena arena({g_module_storage, sizeof g_module_storage});
  wasm::Limits limits;
  limits.max_module_bytes = 1 << 16;
  auto module = wasm::Decode({data, size}, arena, limits);
  if (!module.ok()) return 0;
  const wasm::Module& m = **module;
  std::vector<wasm::Function> functions(m.import_count);
  std::vector<wasm::Extern> externs(m.import_count);
  for (uint32_t i = 0; i < m.import_count; ++i) {
    if (m.imports[i].kind != wasm::ExternKind::kFunction) return 0;
    functions[i] = {&m.types[m.imports[i].type_index], nullptr, nullptr, ReturnZeros, nullptr};
    externs[i] = {wasm::ExternKind::kFunction, &functions[i], nullptr, nullptr, nullptr};
  }
  wasm::Arena instance_arena({g_instance_storage, sizeof g_instance_storage});
  wasm::InstanceOptions options;
  options.memory_storage = {g_memory, size % 3 == 0 ? 4096 : sizeof g_memory};
  auto instance = wasm::Instantiate(m, externs, instance_arena, options);
  if (!instance.ok()) return 0;
  wasm::Thread thread({g_stack, 1 << 14}, {g_frames, 256});
  std::vector<wasm::Slot> args;
  auto run = [&](const wasm::Function& f) {
    args.assign(f.type->param_count, 0);
    if (!thread.Start(f, args).ok()) return;
    thread.set_fuel(20000);
    (void)thread.Run();
  };
  if (const wasm::Function* start = wasm::StartFunction(**instance)) run(*start);
  for (uint32_t i = 0; i < m.export_count; ++i) {
    if (m.exports[i].kind == wasm::ExternKind::kFunction) {
      run(*(*instance)->functions[m.exports[i].index]);
    }
  }
  return 0;
}
