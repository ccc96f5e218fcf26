// Instruction-count micro-benchmarks of the engine, run under callgrind by run.sh:
//   permitted  — a permitted host call through the gate into a trivial service (stores its arg)
//   denied     — a host call the gate denies (permission bit missing): counter + audit + trace
//   checked    — a permitted call with one buffer to bounds-check (log-like)
//   switch     — one scheduler step that switches between two equal-priority containers
// Only the measured loop is collected (CALLGRIND_TOGGLE_COLLECT); run.sh runs each scenario with
// two loop lengths and divides the difference, so set-up and loop entry cancel out.
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "bench_runtime.h"
#include "tc/engine/engine.h"

namespace {

using tc::Result;
using tc::Status;
using namespace tc::engine;
namespace rt = tc::runtime;

using tc::bench::BenchInstance;
using tc::bench::BenchPort;
using tc::bench::BenchRuntime;

volatile int64_t g_stored = 0;

rt::HostReply StoreArg(void*, ServiceCall& call) {
  g_stored = static_cast<int64_t>(call.arg(0));
  return {rt::HostAction::kContinue, 0};
}

rt::HostReply Log(void*, ServiceCall& call) {
  g_stored = static_cast<int64_t>(call.resolved->buffers[0].size());
  return {rt::HostAction::kContinue, 0};
}

alignas(16) uint8_t g_pool[kMaxContainers * 1024];

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s permitted|denied|checked|switch ITERATIONS\n", argv[0]);
    return 2;
  }
  const char* scenario = argv[1];
  const long iterations = std::strtol(argv[2], nullptr, 10);

  BenchPort port(20000);  // every step ends a round-robin slice
  BenchRuntime runtime;
  rt::RuntimeRegistry registry;
  (void)registry.Register(runtime);
  static Engine engine(port, registry, g_pool);
  ServiceSpec store;
  store.fn = StoreArg;
  (void)engine.RegisterService(HostFunction::kRandom, store);
  ServiceSpec log;
  log.fn = Log;
  log.buffer_count = 1;
  log.buffers[0] = {0, 1};
  (void)engine.RegisterService(HostFunction::kLog, log);

  tc::image::ContainerMetadata m;
  (void)m.uid.Assign("bench.a");
  (void)m.entry.loop.Assign("tc_loop");
  m.quotas.memory_limit = 256;
  m.quotas.stack_bytes = 256;
  m.schedule.slice_us = 1000;
  m.permissions.services = tc::image::ServiceBit(tc::image::Service::kRandom) |
                           tc::image::ServiceBit(tc::image::Service::kLog);
  InstallRequest request;
  request.metadata = &m;
  const uint8_t code[1] = {0};
  request.code = code;
  const auto a = engine.Install(request);
  BenchInstance* guest = runtime.last;
  (void)m.uid.Assign("bench.b");
  const auto b = engine.Install(request);
  if (!a.ok() || !b.ok() || !engine.Start(*a).ok() || !engine.Start(*b).ok()) {
    std::fprintf(stderr, "set-up failed\n");
    return 1;
  }

  rt::HostCall call;
  call.arg_count = 1;
  call.args[0] = 42;
  call.memory = guest->Memory();
  if (std::strcmp(scenario, "permitted") == 0) {
    call.service = Number(HostFunction::kRandom);
  } else if (std::strcmp(scenario, "denied") == 0) {
    call.service = Number(HostFunction::kNowUs);  // not in the permission mask
  } else if (std::strcmp(scenario, "checked") == 0) {
    call.service = Number(HostFunction::kLog);
    call.arg_count = 2;
    call.args[0] = 16;
    call.args[1] = 64;
  } else if (std::strcmp(scenario, "switch") != 0) {
    std::fprintf(stderr, "unknown scenario %s\n", scenario);
    return 2;
  }

  const bool stepping = std::strcmp(scenario, "switch") == 0;
  int64_t sink = 0;
  CALLGRIND_TOGGLE_COLLECT;
  for (long i = 0; i < iterations; ++i) {
    if (stepping) {
      sink += engine.Step().ran;
    } else {
      sink += guest->host->OnHostCall(guest->context, call).value;
    }
  }
  CALLGRIND_TOGGLE_COLLECT;
  std::printf("%s %ld %lld\n", scenario, iterations, static_cast<long long>(sink));
  return 0;
}
