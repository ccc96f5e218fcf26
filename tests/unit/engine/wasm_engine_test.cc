// The engine driving real WebAssembly containers through the wasm runtime's adapter. Time is
// deterministic: a metering wrapper advances the fake clock by 10 ns per unit of fuel the guest
// used, and stops a run exactly when the port's tick is due (as a timer interrupt would).
#include <deque>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine_fixture.h"
#include "metered_runtime.h"
#include "tc/wasm/wasm_runtime.h"

namespace tc::engine::testing {
namespace {

using runtime::Entry;

std::vector<uint8_t> ReadModule(const char* name) {
  std::ifstream in(std::string(TC_ENGINE_TEST_MODULES) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct LogSink {
  std::string last;
  int calls = 0;
};

runtime::HostReply LogFn(void* context, ServiceCall& call) {
  auto* sink = static_cast<LogSink*>(context);
  sink->last.assign(reinterpret_cast<const char*>(call.resolved->buffers[0].data()),
                    call.resolved->buffers[0].size());
  ++sink->calls;
  return {runtime::HostAction::kContinue, static_cast<int64_t>(call.resolved->buffers[0].size())};
}

class WasmEngine : public ::testing::Test {
 protected:
  WasmEngine() : metered_(wasm_, port_), engine_(port_, Registry(), pool_) {
    port_.set_on_tick([this] { engine_.OnTick(); });
    ServiceSpec log;
    log.fn = LogFn;
    log.context = &log_;
    log.buffer_count = 1;
    log.buffers[0] = {0, 1};
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kLog, log).ok());
    EXPECT_TRUE(engine_.AddBinding({"tc", "log", "ii:i", -1, Number(HostFunction::kLog)}).ok());
    EXPECT_TRUE(engine_.AddBinding({"tc", "now_us", ":I", -1, Number(HostFunction::kNowUs)}).ok());
    module_ = ReadModule("container.wasm");
    EXPECT_FALSE(module_.empty());
  }

  Result<uint32_t> Install(const char* uid, const char* loop, const Schedule& schedule,
                           std::span<const uint8_t> code) {
    image::ContainerMetadata m;
    EXPECT_TRUE(m.uid.Assign(uid).ok());
    m.runtime = image::RuntimeKind::kWasm;
    EXPECT_TRUE(m.entry.init.Assign("tc_init").ok());
    EXPECT_TRUE(m.entry.loop.Assign(loop).ok());
    m.quotas.memory_limit = 4096;  // below one wasm page
    m.quotas.stack_bytes = 2048;
    m.schedule = schedule;
    m.permissions.services = ServiceBit(Service::kLog) | ServiceBit(Service::kTime);
    InstallRequest request;
    request.metadata = &m;
    request.code = code;
    return engine_.Install(request);
  }

  uint32_t Start(const char* uid, const char* loop, const Schedule& schedule) {
    auto id = Install(uid, loop, schedule, module_);
    EXPECT_TRUE(id.ok()) << id.status().message();
    EXPECT_TRUE(engine_.Start(*id).ok());
    return *id;
  }

  void RunUntil(uint64_t time_us) {
    while (port_.NowUs() < time_us) {
      const StepResult r = engine_.Step();
      if (r.ran) continue;
      const uint64_t until = r.next_wake_us < time_us ? r.next_wake_us : time_us;
      port_.AdvanceNs(until * 1000 > port_.now_ns() ? until * 1000 - port_.now_ns() : 1000);
    }
  }

  const Container& Get(uint32_t id) const { return *engine_.Find(id); }

  FakePort port_;
  wasm::WasmRuntime wasm_;
  MeteredRuntime metered_;
  runtime::RuntimeRegistry registry_;
  alignas(16) uint8_t pool_[kMaxContainers * 32768] = {};
  Engine engine_;
  LogSink log_;
  std::vector<uint8_t> module_;

 private:
  runtime::RuntimeRegistry& Registry() {
    EXPECT_TRUE(registry_.Register(metered_).ok());
    return registry_;
  }
};

Schedule Periodic(uint32_t period_us, uint8_t priority) {
  Schedule s;
  s.period_us = period_us;
  s.priority = priority;
  return s;
}

TEST_F(WasmEngine, PeriodicContainerRunsItsLoopAndCallsTheHost) {
  const uint32_t id = Start("sampler", "tc_loop", Periodic(1000, 5));
  RunUntil(10000);
  EXPECT_EQ(Get(id).counters.activations, 10u);
  EXPECT_EQ(Get(id).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(id).counters.host_calls, 11u);  // now_us in tc_init + one log per loop
  EXPECT_EQ(log_.last, "hello");
  EXPECT_EQ(log_.calls, 10);
  EXPECT_GT(Get(id).counters.cpu_time_us, 0u);
  EXPECT_EQ(engine_.MemoryInUse(id), 4096u);
}

TEST_F(WasmEngine, RunawayNeverDelaysAHigherPriorityContainer) {
  const uint32_t runaway = Start("rogue", "spin", Schedule{});
  const uint32_t periodic = Start("sampler", "tc_loop", Periodic(1000, 9));
  RunUntil(20000);
  EXPECT_EQ(Get(periodic).counters.activations, 20u);
  EXPECT_EQ(Get(periodic).counters.deadline_misses, 0u);
  EXPECT_GT(Get(runaway).counters.cpu_time_us, 15000u);
  EXPECT_EQ(Get(runaway).state, State::kReady);
}

TEST_F(WasmEngine, RunawayWithABudgetIsThrottled) {
  Schedule s = Periodic(1000, 9);
  s.budget_us = 100;
  const uint32_t id = Start("rogue", "spin", s);
  RunUntil(5000);
  EXPECT_EQ(Get(id).counters.overruns, 5u);
  EXPECT_LE(Get(id).counters.cpu_time_us, 5u * 101);
}

TEST_F(WasmEngine, PointerOutsideItsMemoryIsDenied) {
  const uint32_t id = Start("prober", "bad_pointer", Periodic(1000, 5));
  RunUntil(1000);
  // The gate answered -14 (EFAULT); tc_loop returned it, which ends the container.
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Get(id).exit_code, kGuestBadBuffer);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  ASSERT_EQ(engine_.audit_log().size(), 1u);
  EXPECT_EQ(engine_.audit_log()[0].reason, DenialReason::kBufferOutOfBounds);
  EXPECT_EQ(log_.calls, 0);
}

TEST_F(WasmEngine, TrapEndsOnlyTheFaultingContainer) {
  const uint32_t bad = Start("crasher", "crash", Periodic(1000, 9));
  const uint32_t good = Start("sampler", "tc_loop", Periodic(1000, 5));
  RunUntil(5000);
  EXPECT_EQ(Get(bad).state, State::kTrapped);
  EXPECT_EQ(Get(bad).trap, runtime::TrapReason::kUnreachable);
  EXPECT_EQ(Get(good).counters.activations, 5u);
}

TEST_F(WasmEngine, UnboundImportAndMissingEntryAreRefusedAtInstall) {
  const std::vector<uint8_t> bad = ReadModule("bad_import.wasm");
  ASSERT_FALSE(bad.empty());
  EXPECT_EQ(Install("bad", "tc_loop", Schedule{}, bad).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(Install("absent", "no_such_export", Schedule{}, module_).status().code(),
            ErrorCode::kInvalid);
  const std::vector<uint8_t> garbage = {0x00, 0x61, 0x73, 0x6d, 0x02};
  EXPECT_EQ(Install("garbage", "tc_loop", Schedule{}, garbage).status().code(),
            ErrorCode::kMalformed);
}

}  // namespace
}  // namespace tc::engine::testing
