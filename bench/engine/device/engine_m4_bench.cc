// Engine costs on the Cortex-M4 (QEMU mps2-an386 with -icount shift=0: every guest instruction
// advances virtual time by 1 ns and SysTick counts are exact): guest instructions per permitted
// host call through the gate, per denied call, and per scheduler step that switches containers,
// from (large run - small run). Run by bench/engine/run.sh.
#include <cstdint>
#include <new>

#include "bench_runtime.h"
#include "tc/base/format.h"
#include "tc/engine/engine.h"
#include "tc/port/board.h"
#include "tc/port/systick_counter.h"

namespace {

using namespace tc::engine;
namespace rt = tc::runtime;

using tc::port::SysTickCounter;

using tc::bench::BenchInstance;
using tc::bench::BenchPort;
using tc::bench::BenchRuntime;

volatile int64_t g_stored = 0;
rt::HostReply StoreArg(void*, ServiceCall& call) {
  g_stored = static_cast<int64_t>(call.arg(0));
  return {rt::HostAction::kContinue, 0};
}

alignas(16) uint8_t g_pool[kMaxContainers * 512];
BenchPort g_port(20000);  // every step ends a round-robin slice
BenchRuntime g_runtime;
rt::RuntimeRegistry g_registry;

// Guest instructions per operation: `op(n)` runs the operation n times.
template <typename Op>
uint32_t PerOperation(Op op, double per_tick) {
  constexpr uint32_t kSmall = 100, kLarge = 1100;
  uint32_t start = SysTickCounter::Now();
  op(kSmall);
  const uint32_t small = SysTickCounter::Elapsed(start);
  start = SysTickCounter::Now();
  op(kLarge);
  const uint32_t large = SysTickCounter::Elapsed(start);
  return static_cast<uint32_t>((large - small) * per_tick / (kLarge - kSmall) + 0.5);
}

}  // namespace

int main() {
  tc::port::ConsoleInit();
  SysTickCounter::Start();
  const double per_tick = SysTickCounter::InstructionsPerTick();
  (void)g_registry.Register(g_runtime);
  static Engine engine(g_port, g_registry, g_pool);
  ServiceSpec store;
  store.fn = StoreArg;
  (void)engine.RegisterService(HostFunction::kRandom, store);
  tc::image::ContainerMetadata m;
  (void)m.uid.Assign("bench.a");
  (void)m.entry.loop.Assign("tc_loop");
  m.quotas.memory_limit = 64;
  m.quotas.stack_bytes = 64;
  m.schedule.slice_us = 1000;
  m.permissions.services = tc::image::ServiceBit(tc::image::Service::kRandom);
  InstallRequest request;
  request.metadata = &m;
  const uint8_t code[1] = {0};
  request.code = code;
  const auto a = engine.Install(request);
  BenchInstance* guest = g_runtime.last;
  (void)m.uid.Assign("bench.b");
  const auto b = engine.Install(request);
  if (!a.ok() || !b.ok() || !engine.Start(*a).ok() || !engine.Start(*b).ok()) {
    tc::port::ConsoleWrite("set-up failed\n");
    return 1;
  }
  rt::HostCall permitted;
  permitted.service = Number(HostFunction::kRandom);
  permitted.arg_count = 1;
  permitted.memory = guest->Memory();
  rt::HostCall denied = permitted;
  denied.service = Number(HostFunction::kNowUs);

  const uint32_t call = PerOperation(
      [&](uint32_t n) {
        for (uint32_t i = 0; i < n; ++i) (void)guest->host->OnHostCall(guest->context, permitted);
      },
      per_tick);
  const uint32_t deny = PerOperation(
      [&](uint32_t n) {
        for (uint32_t i = 0; i < n; ++i) (void)guest->host->OnHostCall(guest->context, denied);
      },
      per_tick);
  const uint32_t step = PerOperation(
      [&](uint32_t n) {
        for (uint32_t i = 0; i < n; ++i) (void)engine.Step();
      },
      per_tick);
  char line[400];
  tc::FormatTo(line,
               "| engine operation (Cortex-M4, -Os, QEMU -icount) | guest instructions |\n"
               "|---|---|\n| permitted host call through the gate | %u |\n"
               "| denied host call | %u |\n| container switch (one scheduler step) | %u |\n"
               "\nRAM per container slot (sizeof(Container)): %u bytes; engine name table: %u "
               "bytes\n",
               static_cast<unsigned>(call), static_cast<unsigned>(deny),
               static_cast<unsigned>(step), static_cast<unsigned>(sizeof(tc::engine::Container)),
               static_cast<unsigned>(sizeof(tc::engine::NameTable)));
  tc::port::ConsoleWrite(line);
  tc::port::ConsoleWrite("DONE\n");
  return 0;
}
