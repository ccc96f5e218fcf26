// The WASI subset as engine services: a clang-14 --target=wasm32-wasi printf program installed
// in an engine with a fake clock prints through its container's log sink and finishes with its
// exit code; without the `wasi` permission every WASI call is denied by the gate.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "metered_runtime.h"
#include "tc/engine/engine.h"
#include "tc/services/host_services.h"
#include "tc/wasi/engine_services.h"
#include "tc/wasm/wasm_runtime.h"

namespace tc::wasi {
namespace {

using engine::testing::FakePort;
using engine::testing::MeteredRuntime;
using image::Service;
using image::ServiceBit;

std::vector<uint8_t> ReadModule() {
  std::ifstream in(TC_ENGINE_WASI_PROGRAM, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct RecordingSink final : services::LogSink {
  void Write(std::string_view uid, std::span<const uint8_t> text) override {
    writes.push_back(std::string(uid) + ": " +
                     std::string(reinterpret_cast<const char*>(text.data()), text.size()));
  }
  std::vector<std::string> writes;
};

class EngineWasi : public ::testing::Test {
 protected:
  EngineWasi()
      : metered_(wasm_, port_),
        engine_(port_, Registry(), std::span<uint8_t>(pool_.data(), pool_.size())),
        services_({&sink_, &entropy_, nullptr}),
        wasi_(services_) {
    port_.set_on_tick([this] { engine_.OnTick(); });
    EXPECT_TRUE(services_.Register(engine_).ok());
    EXPECT_TRUE(wasi_.Register(engine_).ok());
  }

  Result<uint32_t> Install(const char* uid, image::ServiceMask services,
                           image::ViolationPolicy on_violation = image::ViolationPolicy::kDeny) {
    image::ContainerMetadata m;
    EXPECT_TRUE(m.uid.Assign(uid).ok());
    m.runtime = image::RuntimeKind::kWasm;
    EXPECT_TRUE(m.entry.start.Assign("_start").ok());
    m.quotas.memory_limit = 65536;
    m.quotas.stack_bytes = 8192;
    m.quotas.has_log_rate = true;
    m.quotas.log_lines_per_s = 10;
    m.quotas.log_burst = 16;
    m.schedule.priority = 5;
    m.permissions.services = services;
    m.permissions.on_violation = on_violation;
    engine::InstallRequest request;
    request.metadata = &m;
    request.code = module_;
    return engine_.Install(request);
  }

  // Runs the engine until nothing is ready (the program finished) or `limit_us` passes.
  void RunToEnd(uint64_t limit_us) {
    while (port_.NowUs() < limit_us) {
      const engine::StepResult r = engine_.Step();
      if (r.ran) continue;
      if (r.next_wake_us == engine::kNever) return;
      port_.AdvanceUs(r.next_wake_us > port_.NowUs() ? r.next_wake_us - port_.NowUs() : 1);
    }
  }

  std::string Output() const {
    std::string all;
    for (const std::string& w : sink_.writes) all += w;
    return all;
  }

  const engine::Container& Get(uint32_t id) const { return *engine_.Find(id); }

  FakePort port_;
  wasm::WasmRuntime wasm_;
  MeteredRuntime metered_;
  runtime::RuntimeRegistry registry_;
  std::vector<uint8_t> pool_ = std::vector<uint8_t>(engine::kMaxContainers * 192 * 1024 + 16);
  engine::Engine engine_;
  RecordingSink sink_;
  services::DeterministicEntropy entropy_{9};
  services::HostServices services_;
  EngineServices wasi_;
  std::vector<uint8_t> module_ = ReadModule();

 private:
  runtime::RuntimeRegistry& Registry() {
    EXPECT_TRUE(registry_.Register(metered_).ok());
    return registry_;
  }
};

TEST_F(EngineWasi, PrintfProgramLogsThroughItsContainerAndFinishesWithItsExitCode) {
  if (module_.empty()) GTEST_SKIP() << "clang-14 or wasi-libc missing";
  port_.AdvanceUs(5000000);  // a recognisable clock for the program to print
  const Result<uint32_t> id = Install("wasi.hello", ServiceBit(Service::kWasi));
  ASSERT_TRUE(id.ok()) << id.status().message();
  ASSERT_TRUE(engine_.Start(*id).ok());
  RunToEnd(60000000);

  const engine::Container& c = Get(*id);
  EXPECT_EQ(c.state, engine::State::kStopped);
  EXPECT_EQ(c.exit_code, 3);
  EXPECT_EQ(c.counters.traps, 0u);
  EXPECT_EQ(c.counters.denials, 0u);
  const std::string out = Output();
  EXPECT_NE(out.find("wasi.hello: hello from the engine 42\n"), std::string::npos) << out;
  EXPECT_NE(out.find("entropy ok\n"), std::string::npos) << out;
  EXPECT_NE(out.find("yield 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("wasi.hello: bye\n"), std::string::npos) << out;
  // The program read the engine's (fake) clock.
  const size_t at = out.find("now=");
  ASSERT_NE(at, std::string::npos) << out;
  const uint64_t printed = std::stoull(out.substr(at + 4));
  EXPECT_GE(printed, 5000000u);
  EXPECT_LE(printed, port_.NowUs());
  // Every write was one line of the container's log budget (burst 16).
  EXPECT_EQ(services_.log_dropped(*id), 0u);
}

TEST_F(EngineWasi, SchedYieldIsTheEnginesYieldNotANoOp) {
  if (module_.empty()) GTEST_SKIP() << "clang-14 or wasi-libc missing";
  // Two equal-priority WASI programs. Each is far shorter than the 10 ms round-robin slice
  // (1,000,000 instructions under the metered clock), so only a real yield lets b print before a
  // finishes.
  const uint32_t a = *Install("wasi.a", ServiceBit(Service::kWasi));
  const uint32_t b = *Install("wasi.b", ServiceBit(Service::kWasi));
  ASSERT_TRUE(engine_.Start(a).ok());
  ASSERT_TRUE(engine_.Start(b).ok());
  RunToEnd(60000000);
  EXPECT_EQ(Get(a).exit_code, 3);
  EXPECT_EQ(Get(b).exit_code, 3);
  const std::string out = Output();
  ASSERT_NE(out.find("wasi.b: hello"), std::string::npos) << out;
  EXPECT_LT(out.find("wasi.b: hello"), out.find("wasi.a: yield 0")) << out;
  EXPECT_LT(out.find("wasi.a: bye"), out.find("wasi.b: yield 0")) << out;
}

TEST_F(EngineWasi, WithoutTheWasiPermissionEveryCallIsDenied) {
  if (module_.empty()) GTEST_SKIP() << "clang-14 or wasi-libc missing";
  const Result<uint32_t> id = Install("wasi.denied", ServiceBit(Service::kLog));
  ASSERT_TRUE(id.ok()) << id.status().message();

  // The gate answers kGuestNotPermitted for each WASI host function.
  uint8_t memory[64] = {};
  for (size_t i = 0; i < kFunctionCount; ++i) {
    runtime::HostCall call;
    call.service = HostFunctionOf(static_cast<Function>(i));
    call.memory = runtime::GuestMemory(std::span<uint8_t>(memory, sizeof memory));
    auto* c = const_cast<engine::Container*>(engine_.Find(*id));
    EXPECT_EQ(engine_.OnHostCall(c, call).value, engine::kGuestNotPermitted) << i;
  }
  EXPECT_EQ(Get(*id).counters.denials, kFunctionCount);

  // Run as a program: nothing reaches the sink, the denials are audited.
  ASSERT_TRUE(engine_.Start(*id).ok());
  RunToEnd(60000000);
  EXPECT_TRUE(sink_.writes.empty()) << Output();
  EXPECT_GT(Get(*id).counters.denials, kFunctionCount);
  ASSERT_FALSE(engine_.audit_log().empty());
  const engine::AuditEntry& last = engine_.audit_log()[engine_.audit_log().size() - 1];
  EXPECT_EQ(last.reason, engine::DenialReason::kServiceNotPermitted);
  EXPECT_GE(last.service, kFirstHostFunction);
  EXPECT_LT(last.service, kFirstHostFunction + kFunctionCount);
  EXPECT_NE(Get(*id).state, engine::State::kRunning);
}

TEST_F(EngineWasi, OnViolationStopEndsTheProgramAtItsFirstWasiCall) {
  if (module_.empty()) GTEST_SKIP() << "clang-14 or wasi-libc missing";
  const uint32_t id = *Install("wasi.strict", 0, image::ViolationPolicy::kStop);
  ASSERT_TRUE(engine_.Start(id).ok());
  RunToEnd(60000000);
  EXPECT_EQ(Get(id).state, engine::State::kStopped);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  EXPECT_TRUE(sink_.writes.empty());
}

TEST_F(EngineWasi, WasiFunctionsUseTheirOwnHostFunctionNumbersBelowTheFemtoHelpers) {
  for (size_t i = 0; i < kFunctionCount; ++i) {
    const uint16_t n = HostFunctionOf(static_cast<Function>(i));
    EXPECT_GE(n, 13);
    EXPECT_LE(n, 27);
  }
}

}  // namespace
}  // namespace tc::wasi
