#include "engine_fixture.h"

#include <string>

namespace tc::engine::testing {

Quotas EngineFixture::DefaultQuotas() {
  Quotas q;
  q.memory_bytes = 4096;
  q.stack_bytes = 1024;
  q.kv_bytes = 64;
  q.open_handles = 2;
  return q;
}

uint32_t EngineFixture::Install(const FakeProgram& program, const Schedule& schedule,
                                const Permissions& permissions, const Quotas& quotas,
                                const char* uid) {
  InstallRequest request;
  const std::string name = "c" + std::to_string(installed_++);
  request.uid = uid != nullptr ? uid : name.c_str();
  request.runtime_type = FakeRuntime::kTypeId;
  request.code = program.code();
  request.quotas = quotas;
  request.schedule = schedule;
  request.permissions = permissions;
  auto id = engine_.Install(request);
  EXPECT_TRUE(id.ok()) << id.status().message();
  return id.ok() ? *id : 0;
}

uint32_t EngineFixture::InstallAndStart(const FakeProgram& program, const Schedule& schedule,
                                        const Permissions& permissions, const Quotas& quotas) {
  const uint32_t id = Install(program, schedule, permissions, quotas);
  const Status started = engine_.Start(id);
  EXPECT_TRUE(started.ok()) << started.message();
  return id;
}

int EngineFixture::RunUntil(uint64_t time_us) {
  int dispatches = 0;
  while (port_.NowUs() < time_us) {
    const StepResult r = engine_.Step();
    if (r.ran) {
      ++dispatches;
      continue;
    }
    const uint64_t until = r.next_wake_us < time_us ? r.next_wake_us : time_us;
    const uint64_t target_ns = until * 1000;
    port_.AdvanceNs(target_ns > port_.now_ns() ? target_ns - port_.now_ns() : 1000);
  }
  return dispatches;
}

}  // namespace tc::engine::testing
