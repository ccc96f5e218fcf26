#include "engine_fixture.h"

#include <string>

namespace tc::engine::testing {

Quotas EngineFixture::DefaultQuotas() {
  Quotas q;
  q.memory_limit = 4096;
  q.stack_bytes = 1024;
  q.kv_bytes = 64;
  q.max_handles = 2;
  return q;
}

image::ContainerMetadata EngineFixture::Metadata(const FakeProgram& program,
                                                 const Schedule& schedule,
                                                 const Permissions& permissions,
                                                 const Quotas& quotas) {
  image::ContainerMetadata m;
  const std::string uid = "c" + std::to_string(installed_++);
  EXPECT_TRUE(m.uid.Assign(uid).ok());
  // The fake runtime registers under its own type id; the metadata field carries it verbatim.
  m.runtime = static_cast<image::RuntimeKind>(FakeRuntime::kTypeId);
  image::EntryName* names[] = {&m.entry.init, &m.entry.loop, &m.entry.stop, &m.entry.start};
  for (size_t e = 0; e < runtime::kEntryCount; ++e) {
    if (program.exported[e]) {
      EXPECT_TRUE(names[e]->Assign(runtime::ExportName(static_cast<runtime::Entry>(e))).ok());
    }
  }
  m.quotas = quotas;
  m.schedule = schedule;
  m.permissions = permissions;
  return m;
}

uint32_t EngineFixture::Install(const FakeProgram& program, const Schedule& schedule,
                                const Permissions& permissions, const Quotas& quotas) {
  const image::ContainerMetadata metadata = Metadata(program, schedule, permissions, quotas);
  InstallRequest request;
  request.metadata = &metadata;
  request.code = program.code();
  auto id = engine_.Install(request);
  EXPECT_TRUE(id.ok()) << id.status().message();
  return id.ok() ? *id : 0;
}

ConfigUpdate EngineFixture::Update(uint32_t id, uint64_t sequence) {
  ConfigUpdate update;
  update.uid = engine_.Find(id)->uid;
  update.sequence = sequence;
  return update;
}

uint32_t EngineFixture::InstallAndStart(const FakeProgram& program, const Schedule& schedule,
                                        const Permissions& permissions, const Quotas& quotas) {
  const uint32_t id = Install(program, schedule, permissions, quotas);
  const Status started = engine_.Start(id);
  EXPECT_TRUE(started.ok()) << started.message();
  return id;
}

runtime::HostReply EngineFixture::CallService(uint32_t id, uint16_t service,
                                              std::initializer_list<uint64_t> args,
                                              std::span<uint8_t> memory) {
  runtime::HostCall call;
  call.service = service;
  call.arg_count = static_cast<uint8_t>(args.size());
  size_t i = 0;
  for (uint64_t a : args) call.args[i++] = a;
  call.memory = runtime::GuestMemory(memory);
  return engine_.OnHostCall(const_cast<Container*>(engine_.Find(id)), call);
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
