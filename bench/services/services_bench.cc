// Instruction counts of the host services through the gate, run under callgrind by run.sh:
//   log     — a 16-byte line within the rate limit into a sink that discards it
//   kv_get  — a hit on an 8-byte key with a 4-byte value (MemoryKvStorage<16>, 8 records used)
//   kv_set  — replacing that value with one of the same size (exact quota accounting included)
//   random  — 16 bytes from the deterministic source
// As in bench/engine, only the loop is collected and run.sh divides the difference of two runs.
#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "bench_runtime.h"
#include "tc/services/host_services.h"
#include "tc/services/memory_kv_storage.h"

namespace {

using tc::Result;
using tc::Status;
using namespace tc::engine;
namespace rt = tc::runtime;

using tc::bench::BenchInstance;
using tc::bench::BenchPort;
using tc::bench::BenchRuntime;

class NullSink final : public tc::services::LogSink {
 public:
  void Write(std::string_view, std::span<const uint8_t>) override {}
};

alignas(16) uint8_t g_pool[kMaxContainers * 1024];

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s log|kv_get|kv_set|random ITERATIONS\n", argv[0]);
    return 2;
  }
  const char* scenario = argv[1];
  const long iterations = std::strtol(argv[2], nullptr, 10);

  BenchPort port(1000000);  // a second per reading: never rate-limited
  BenchRuntime runtime;
  rt::RuntimeRegistry registry;
  (void)registry.Register(runtime);
  static Engine engine(port, registry, g_pool);
  NullSink sink;
  tc::services::DeterministicEntropy entropy(1);
  static tc::services::MemoryKvStorage<16> kv;
  tc::services::HostServices services({&sink, &entropy, &kv}, {4, 1});
  if (!services.Register(engine).ok()) return 1;

  tc::image::ContainerMetadata m;
  (void)m.uid.Assign("bench.a");
  (void)m.entry.loop.Assign("tc_loop");
  m.quotas.memory_limit = 256;
  m.quotas.stack_bytes = 256;
  m.quotas.kv_bytes = 1024;
  m.permissions.services = tc::image::kAllServices;
  InstallRequest request;
  request.metadata = &m;
  const uint8_t code[1] = {0};
  request.code = code;
  const auto id = engine.Install(request);
  BenchInstance* guest = runtime.last;
  if (!id.ok() || !engine.Start(*id).ok()) return 1;

  // Eight records, the measured key last: a realistic linear search.
  rt::HostCall call;
  call.memory = guest->Memory();
  call.service = Number(HostFunction::kKvSet);
  call.arg_count = 4;
  for (int i = 0; i < 8; ++i) {
    std::memcpy(guest->memory, "sensor.0", 8);
    guest->memory[7] = static_cast<uint8_t>('0' + i);
    call.args[0] = 0;
    call.args[1] = 8;
    call.args[2] = 32;
    call.args[3] = 4;
    if (guest->host->OnHostCall(guest->context, call).value != 0) return 1;
  }

  if (std::strcmp(scenario, "log") == 0) {
    call.service = Number(HostFunction::kLog);
    call.arg_count = 2;
    call.args[0] = 64;
    call.args[1] = 16;
  } else if (std::strcmp(scenario, "kv_get") == 0) {
    call.service = Number(HostFunction::kKvGet);
    call.args[2] = 64;
  } else if (std::strcmp(scenario, "random") == 0) {
    call.service = Number(HostFunction::kRandom);
    call.arg_count = 2;
    call.args[0] = 64;
    call.args[1] = 16;
  } else if (std::strcmp(scenario, "kv_set") != 0) {
    std::fprintf(stderr, "unknown scenario %s\n", scenario);
    return 2;
  }

  int64_t total = 0;
  CALLGRIND_TOGGLE_COLLECT;
  for (long i = 0; i < iterations; ++i)
    total += guest->host->OnHostCall(guest->context, call).value;
  CALLGRIND_TOGGLE_COLLECT;
  std::printf("%s %ld %lld\n", scenario, iterations, static_cast<long long>(total));
  return 0;
}
