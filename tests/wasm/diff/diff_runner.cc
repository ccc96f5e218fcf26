// Differential-test side of tc_wasm: for each module (from binaryen's `wasm-opt -ttf`), calls
// every exported function with zero arguments — after hangLimitInitializer, as binaryen's own
// harness does — and prints the results, traps and fuzzing-support log calls. diff_node.js
// prints the same from Node's WebAssembly; run_diff.sh compares the two.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "tc/wasm/instance.h"
#include "tc/wasm/module.h"
#include "tc/wasm/thread.h"

namespace {

namespace wasm = tc::wasm;
using tc::runtime::HostAction;
using tc::runtime::RunExit;

std::string FormatValue(wasm::ValType type, wasm::Slot v) {
  char buf[64];
  switch (type) {
    case wasm::ValType::kI32:
      std::snprintf(buf, sizeof buf, "%" PRId32, static_cast<int32_t>(static_cast<uint32_t>(v)));
      break;
    case wasm::ValType::kI64:
      std::snprintf(buf, sizeof buf, "%" PRId64, static_cast<int64_t>(v));
      break;
    case wasm::ValType::kF32:
    case wasm::ValType::kF64: {
      double d;
      if (type == wasm::ValType::kF32) {
        float f;
        const uint32_t bits = static_cast<uint32_t>(v);
        std::memcpy(&f, &bits, 4);
        d = f;
      } else {
        std::memcpy(&d, &v, 8);
      }
      // JavaScript numbers do not keep NaN payloads: compare NaN-ness only.
      if (std::isnan(d)) return "nan";
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      std::snprintf(buf, sizeof buf, "0x%016" PRIx64, bits);
      break;
    }
    default: return "?";
  }
  return buf;
}

HostAction Log(void* context, wasm::HostCall& call) {
  std::string line = "log";
  for (uint32_t i = 0; i < call.type->param_count; ++i) {
    line += " " + FormatValue(call.type->params()[i], call.values[i]);
  }
  std::printf("%s\n", line.c_str());
  (void)context;
  return HostAction::kContinue;
}

void RunModule(const char* path) {
  std::printf("module %s\n", std::strrchr(path, '/') ? std::strrchr(path, '/') + 1 : path);
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> binary((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
  std::vector<uint8_t> module_storage(binary.size() * 16 + (4 << 20));
  wasm::Arena arena(module_storage);
  wasm::Limits limits;
  limits.max_locals = 50000;
  limits.max_operand_height = 50000;
  limits.max_control_depth = 10000;
  auto module = wasm::Decode(binary, arena, limits);
  if (!module.ok()) {
    std::printf("rejected %s @%u\n", module.status().message(), module.status().position());
    return;
  }
  const wasm::Module& m = **module;
  std::vector<wasm::Function> functions(m.import_count);
  std::vector<wasm::Extern> externs(m.import_count);
  const wasm::HostFunctionEntry host[] = {
      {"fuzzing-support", "log-i32", "i:", Log, nullptr},
      {"fuzzing-support", "log-i64", "I:", Log, nullptr},
      {"fuzzing-support", "log-f32", "f:", Log, nullptr},
      {"fuzzing-support", "log-f64", "F:", Log, nullptr},
      {"fuzzing-support", "log-i64", "ii:", Log, nullptr},
  };
  if (tc::Status s = wasm::ResolveHostImports(m, host, functions, externs); !s.ok()) {
    std::printf("unlinkable %s\n", s.message());
    return;
  }
  std::vector<uint8_t> memory(m.has_memory ? (m.memory.min + 16) * wasm::kPageSize : 0);
  std::vector<uint8_t> instance_storage((4 << 20) + uint64_t{m.table.min} * 8);
  wasm::Arena instance_arena(instance_storage);
  wasm::InstanceOptions options;
  options.memory_storage = memory;
  auto instance = wasm::Instantiate(m, externs, instance_arena, options);
  std::vector<wasm::Slot> stack(1 << 18);
  std::vector<wasm::Frame> frames(2000);
  wasm::Thread thread(stack, frames);
  auto call = [&](const wasm::Function& f) -> bool {
    std::vector<wasm::Slot> args(f.type->param_count, 0);
    if (!thread.Start(f, args).ok()) return false;
    thread.set_fuel(50'000'000);
    const RunExit exit = thread.Run();
    if (exit == RunExit::kOutOfFuel) {
      std::printf("timeout\n");
      return false;
    }
    if (exit == RunExit::kTrapped) {
      std::printf("trap\n");
      return true;
    }
    std::string line = "result";
    for (uint32_t i = 0; i < f.type->result_count; ++i) {
      line += " " + FormatValue(f.type->results()[i], thread.results()[i]);
    }
    std::printf("%s\n", line.c_str());
    return true;
  };
  if (!instance.ok()) {
    std::printf("uninstantiable\n");
    return;
  }
  if (const wasm::Function* start = wasm::StartFunction(**instance)) {
    if (!call(*start)) return;
  }
  const wasm::Function* hang_reset = nullptr;
  if (auto e = (*instance)->GetExport("hangLimitInitializer", wasm::ExternKind::kFunction);
      e.ok()) {
    hang_reset = e->function;
  }
  for (uint32_t i = 0; i < m.export_count; ++i) {
    const wasm::Export& e = m.exports[i];
    if (e.kind != wasm::ExternKind::kFunction) continue;
    const std::string name(reinterpret_cast<const char*>(e.name.data), e.name.size);
    if (name == "hangLimitInitializer") continue;
    if (hang_reset != nullptr) {
      std::vector<wasm::Slot> none;
      (void)thread.Start(*hang_reset, none);
      (void)thread.Run();
    }
    std::printf("call %s\n", name.c_str());
    if (!call(*(*instance)->functions[e.index])) return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) RunModule(argv[i]);
  return 0;
}
