// Benchmark driver for tc_wasm, measured from outside with callgrind (bench/wasm/run_bench.sh):
//   wasm_bench run MODULE EXPORT N   decode, instantiate, call EXPORT(N), print the result
//   wasm_bench load MODULE K         decode + validate + compile MODULE K times
// The import tc.sink(i32) stores its argument: the trivial host service of the host-call probe.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "tc/wasm/instance.h"
#include "tc/wasm/module.h"
#include "tc/wasm/thread.h"

namespace {

namespace wasm = tc::wasm;
volatile uint32_t g_sink;

tc::runtime::HostAction Sink(void*, wasm::HostCall& call) {
  g_sink = static_cast<uint32_t>(call.values[0]);
  return tc::runtime::HostAction::kContinue;
}

int Fail(const char* what, const tc::Status& s) {
  std::fprintf(stderr, "wasm_bench: %s: %s @%u\n", what, s.message(), s.position());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: wasm_bench run MODULE EXPORT N | load MODULE K\n");
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  const std::vector<uint8_t> binary((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
  std::vector<uint8_t> module_storage(binary.size() * 16 + (1 << 16));
  if (std::strcmp(argv[1], "load") == 0) {
    const int k = std::atoi(argv[3]);
    for (int i = 0; i < k; ++i) {
      wasm::Arena arena(module_storage);
      auto m = wasm::Decode(binary, arena, wasm::Limits{});
      if (!m.ok()) return Fail("decode", m.status());
    }
    return 0;
  }
  wasm::Arena arena(module_storage);
  auto module = wasm::Decode(binary, arena, wasm::Limits{});
  if (!module.ok()) return Fail("decode", module.status());
  const wasm::HostFunctionEntry host[] = {{"tc", "sink", "i:", Sink, nullptr}};
  wasm::Function functions[1];
  wasm::Extern externs[1];
  if (tc::Status s = wasm::ResolveHostImports(**module, host, functions, externs); !s.ok()) {
    return Fail("imports", s);
  }
  std::vector<uint8_t> memory(4u << 20);
  std::vector<uint8_t> instance_storage(1 << 16);
  wasm::Arena instance_arena(instance_storage);
  wasm::InstanceOptions options;
  options.memory_storage = memory;
  auto instance = wasm::Instantiate(**module, std::span(externs, (*module)->import_count),
                                    instance_arena, options);
  if (!instance.ok()) return Fail("instantiate", instance.status());
  auto entry = (*instance)->GetExport(argv[3], wasm::ExternKind::kFunction);
  if (!entry.ok()) return Fail("export", entry.status());
  std::vector<wasm::Slot> stack(1 << 16);
  std::vector<wasm::Frame> frames(4096);
  wasm::Thread thread(stack, frames);
  const wasm::Slot n = static_cast<uint32_t>(std::atoi(argv[4]));
  if (tc::Status s = thread.Start(*entry->function, {&n, 1}); !s.ok()) return Fail("start", s);
  if (thread.Run() != tc::runtime::RunExit::kFinished) {
    std::fprintf(stderr, "wasm_bench: trapped: %s\n", tc::runtime::ToString(thread.trap_reason()));
    return 1;
  }
  std::printf("%d\n", static_cast<int32_t>(thread.results()[0]));
  return 0;
}
