// Lifecycle: every allowed transition, and the refused ones with their specific messages.
#include <algorithm>
#include <cstring>
#include <string>

#include "engine_fixture.h"

namespace tc::engine::testing {
namespace {

using runtime::Entry;

FakeProgram LoopProgram(uint64_t instructions = 100) {
  FakeProgram p;
  p.Export(Entry::kLoop, {FakeStep::Compute(instructions), FakeStep::Return(0)});
  return p;
}

Schedule Periodic(uint32_t period_us, uint8_t priority = 6) {
  Schedule s;
  s.period_us = period_us;
  s.priority = priority;
  return s;
}

class Lifecycle : public EngineFixture {};

TEST_F(Lifecycle, InstallLeavesContainerInstalledUntilStarted) {
  FakeProgram p = LoopProgram();
  const uint32_t id = Install(p, Periodic(1000));
  EXPECT_EQ(Get(id).state, State::kInstalled);
  RunUntil(5000);
  EXPECT_EQ(Get(id).counters.activations, 0u);
  ASSERT_TRUE(engine_.Start(id).ok());
  EXPECT_EQ(Get(id).state, State::kReady);
  RunUntil(10000);
  EXPECT_EQ(Get(id).state, State::kSleeping);
  EXPECT_EQ(Get(id).counters.activations, 5u);
}

TEST_F(Lifecycle, InitRunsOnceBeforeTheFirstLoop) {
  FakeProgram p = LoopProgram();
  p.Export(Entry::kInit, {FakeStep::Call(Number(HostFunction::kNowUs)), FakeStep::Return(0)});
  Permissions perm;
  perm.services = ServiceBit(Service::kTime);
  const uint32_t id = InstallAndStart(p, Periodic(1000), perm);
  RunUntil(3500);
  EXPECT_EQ(Instance(id).result_count(), 1u);
  EXPECT_EQ(Get(id).counters.activations, 4u);
}

TEST_F(Lifecycle, FailingInitStopsTheContainer) {
  FakeProgram p = LoopProgram();
  p.Export(Entry::kInit, {FakeStep::Return(-5)});
  const uint32_t id = InstallAndStart(p, Periodic(1000));
  RunUntil(2000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Get(id).exit_code, -5);
  EXPECT_EQ(Get(id).counters.activations, 0u);
}

TEST_F(Lifecycle, LoopReturningNonZeroEndsTheContainer) {
  FakeProgram p;
  p.Export(Entry::kLoop, {FakeStep::Return(3)});
  const uint32_t id = InstallAndStart(p, Periodic(1000));
  RunUntil(3000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Get(id).exit_code, 3);
}

TEST_F(Lifecycle, OneShotStartProgramStopsWhenItReturns) {
  FakeProgram p;
  p.Export(Entry::kStart, {FakeStep::Compute(500), FakeStep::Return(7)});
  const uint32_t id = InstallAndStart(p);
  RunUntil(1000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Get(id).exit_code, 7);
}

TEST_F(Lifecycle, GracefulStopRunsTcStop) {
  FakeProgram p = LoopProgram();
  p.Export(Entry::kStop, {FakeStep::Call(Number(HostFunction::kNowUs)), FakeStep::Return(0)});
  Permissions perm;
  perm.services = ServiceBit(Service::kTime);
  const uint32_t id = InstallAndStart(p, Periodic(1000), perm);
  RunUntil(1500);
  ASSERT_TRUE(engine_.Stop(id).ok());
  EXPECT_EQ(Get(id).state, State::kStopping);
  RunUntil(3000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Instance(id).result_count(), 1u);  // tc_stop's host call ran
  EXPECT_EQ(Get(id).counters.activations, 2u);
}

TEST_F(Lifecycle, StopIsForcedWhenTcStopDoesNotReturn) {
  FakeProgram p = LoopProgram();
  p.Export(Entry::kStop, {FakeStep::Forever()});
  const uint32_t id = InstallAndStart(p, Periodic(1000));
  RunUntil(500);
  ASSERT_TRUE(engine_.Stop(id).ok());
  const uint64_t stop_requested = port_.NowUs();
  RunUntil(stop_requested + 100000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  // Forced at the stop timeout, give or take one fuel quantum (1000 instructions = 10 us).
  EXPECT_LE(Get(id).counters.cpu_time_us, EngineConfig{}.stop_timeout_us + 20u);
}

TEST_F(Lifecycle, StopWithoutTcStopIsImmediate) {
  FakeProgram p = LoopProgram();
  const uint32_t id = InstallAndStart(p, Periodic(1000));
  ASSERT_TRUE(engine_.Stop(id).ok());
  EXPECT_EQ(Get(id).state, State::kStopped);
}

TEST_F(Lifecycle, SuspendAndResume) {
  FakeProgram p = LoopProgram();
  const uint32_t id = InstallAndStart(p, Periodic(1000));
  RunUntil(2500);
  ASSERT_TRUE(engine_.Suspend(id).ok());
  EXPECT_EQ(Get(id).state, State::kSuspended);
  const uint32_t before = Get(id).counters.activations;
  RunUntil(10000);
  EXPECT_EQ(Get(id).counters.activations, before);
  ASSERT_TRUE(engine_.Resume(id).ok());
  RunUntil(13000);
  EXPECT_GE(Get(id).counters.activations, before + 3);
  EXPECT_EQ(Get(id).counters.deadline_misses, 0u);  // the releases it slept through are not owed
}

TEST_F(Lifecycle, TrapEndsOnlyThatContainerAndStartRestartsItFresh) {
  FakeProgram bad;
  bad.Export(Entry::kLoop,
             {FakeStep::Compute(10), FakeStep::Trap(runtime::TrapReason::kDivisionByZero)});
  FakeProgram good = LoopProgram();
  const uint32_t b = InstallAndStart(bad, Periodic(1000, 9));
  const uint32_t g = InstallAndStart(good, Periodic(1000, 8));
  RunUntil(5000);
  EXPECT_EQ(Get(b).state, State::kTrapped);
  EXPECT_EQ(Get(b).trap, runtime::TrapReason::kDivisionByZero);
  EXPECT_EQ(Get(b).counters.traps, 1u);
  EXPECT_EQ(Get(g).counters.activations, 5u);
  const int instantiations = runtime_.instantiations;
  ASSERT_TRUE(engine_.Start(b).ok());
  EXPECT_EQ(runtime_.instantiations, instantiations + 1);
  RunUntil(6000);
  EXPECT_EQ(Get(b).counters.traps, 2u);
}

TEST_F(Lifecycle, RemoveWipesMemoryAndFreesTheSlot) {
  FakeProgram p = LoopProgram();
  const uint32_t id = InstallAndStart(p, Periodic(1000));
  auto memory = Instance(id).Memory().bytes();
  std::fill(memory.begin(), memory.end(), uint8_t{0xA5});
  ASSERT_TRUE(engine_.Stop(id).ok());
  const std::span<uint8_t> region = Get(id).region;
  ASSERT_TRUE(engine_.Remove(id).ok());
  EXPECT_EQ(Get(id).state, State::kRemoved);
  EXPECT_TRUE(std::all_of(region.begin(), region.end(), [](uint8_t b) { return b == 0; }));
  EXPECT_GE(runtime_.wipes, 1);
  // The slot is reused and the old id goes stale.
  const uint32_t next = Install(p, Periodic(1000));
  EXPECT_NE(next, id);
  EXPECT_EQ(engine_.Start(id).code(), ErrorCode::kNotFound);
}

struct RefusedCase {
  const char* name;
  Status (*command)(Engine&, uint32_t);
  const char* message;
};

Status DoStart(Engine& e, uint32_t id) { return e.Start(id); }
Status DoStop(Engine& e, uint32_t id) { return e.Stop(id); }
Status DoSuspend(Engine& e, uint32_t id) { return e.Suspend(id); }
Status DoResume(Engine& e, uint32_t id) { return e.Resume(id); }
Status DoRemove(Engine& e, uint32_t id) { return e.Remove(id); }

TEST_F(Lifecycle, RefusedTransitionsSayWhyAndChangeNothing) {
  FakeProgram p = LoopProgram();
  const uint32_t installed = Install(p, Periodic(1000));
  const uint32_t running = InstallAndStart(p, Periodic(1000));
  const uint32_t stopped = InstallAndStart(p, Periodic(1000));
  ASSERT_TRUE(engine_.Stop(stopped).ok());
  const uint32_t suspended = InstallAndStart(p, Periodic(1000));
  ASSERT_TRUE(engine_.Suspend(suspended).ok());
  const uint32_t removed = Install(p, Periodic(1000));
  ASSERT_TRUE(engine_.Remove(removed).ok());

  struct Case {
    uint32_t id;
    Status (*command)(Engine&, uint32_t);
    const char* message;
  };
  const Case cases[] = {
      {removed, DoStart, "start: container was removed"},
      {running, DoStart, "start: container is already started"},
      {suspended, DoStart, "start: container is suspended; resume it instead"},
      {stopped, DoStop, "stop: container is already stopped"},
      {installed, DoStop, "stop: container was never started"},
      {removed, DoStop, "stop: container was removed"},
      {suspended, DoSuspend, "suspend: container is already suspended"},
      {stopped, DoSuspend, "suspend: container is stopped"},
      {running, DoResume, "resume: container is not suspended"},
      {removed, DoResume, "resume: container was removed"},
      {running, DoRemove, "remove: container is active; stop it first"},
      {removed, DoRemove, "remove: container was already removed"},
  };
  for (const Case& c : cases) {
    const State before = Get(c.id).state;
    const Status status = c.command(engine_, c.id);
    EXPECT_EQ(status.code(), ErrorCode::kFailedPrecondition) << c.message;
    EXPECT_STREQ(status.message(), c.message);
    EXPECT_EQ(Get(c.id).state, before) << c.message;
  }
}

TEST_F(Lifecycle, EveryCommandChecksEveryState) {
  // The table is total: each (command, state) pair is either allowed or refused with a message.
  for (int c = 0; c <= static_cast<int>(Command::kConfigure); ++c) {
    for (int s = 0; s <= static_cast<int>(State::kRemoved); ++s) {
      const Status status = CheckCommand(static_cast<Command>(c), static_cast<State>(s));
      if (!status.ok()) {
        EXPECT_EQ(status.code(), ErrorCode::kFailedPrecondition);
        EXPECT_EQ(std::string(status.message()).rfind(ToString(static_cast<Command>(c)), 0), 0u)
            << status.message();
      }
    }
  }
}

TEST_F(Lifecycle, UnknownIdsAreNotFound) {
  EXPECT_EQ(engine_.Start(0x1234).code(), ErrorCode::kNotFound);
  EXPECT_EQ(engine_.Stop(0xFF).code(), ErrorCode::kNotFound);
  EXPECT_EQ(engine_.Find(3), nullptr);
}

TEST_F(Lifecycle, RejectedInstallsChangeNothing) {
  FakeProgram p = LoopProgram();
  image::ContainerMetadata m = Metadata(p);
  InstallRequest request;
  request.metadata = &m;
  request.code = p.code();
  ASSERT_TRUE(engine_.Install(request).ok());
  EXPECT_EQ(engine_.Install(request).status().code(), ErrorCode::kAlreadyExists);

  const auto refused = [&](image::ContainerMetadata metadata, std::span<const uint8_t> code) {
    InstallRequest r;
    r.metadata = &metadata;
    r.code = code;
    return engine_.Install(r).status();
  };
  image::ContainerMetadata other = Metadata(p);
  other.runtime = static_cast<image::RuntimeKind>(99);
  EXPECT_EQ(refused(other, p.code()).code(), ErrorCode::kUnsupported);

  FakeProgram corrupt = p;
  corrupt.magic = 0;
  EXPECT_EQ(refused(Metadata(p), corrupt.code()).code(), ErrorCode::kMalformed);

  // The metadata names a loop the module does not export.
  FakeProgram no_entry;
  no_entry.Export(Entry::kInit, {});
  EXPECT_EQ(refused(Metadata(p), no_entry.code()).code(), ErrorCode::kInvalid);

  image::ContainerMetadata big = Metadata(p);
  big.quotas.memory_limit = 1 << 20;
  EXPECT_EQ(refused(big, p.code()).code(), ErrorCode::kResourceExhausted);

  image::ContainerMetadata handles = Metadata(p);
  handles.quotas.max_handles = kMaxHandles + 1;
  EXPECT_EQ(refused(handles, p.code()).code(), ErrorCode::kResourceExhausted);

  image::ContainerMetadata budget = Metadata(p);
  budget.schedule.period_us = 1000;
  budget.schedule.budget_us = 2000;
  EXPECT_EQ(refused(budget, p.code()).code(), ErrorCode::kInvalid);

  image::ContainerMetadata unperiodic = Metadata(p);
  unperiodic.schedule.budget_us = 100;
  const Status no_period = refused(unperiodic, p.code());
  EXPECT_EQ(no_period.code(), ErrorCode::kUnsupported);
  EXPECT_STREQ(no_period.message(), "schedule: a budget needs a period");

  image::ContainerMetadata bad_uid = Metadata(p);
  ASSERT_TRUE(bad_uid.uid.Assign("-bad").ok());
  EXPECT_EQ(refused(bad_uid, p.code()).code(), ErrorCode::kInvalidArgument);

  EXPECT_EQ(engine_.Install(InstallRequest{}).status().code(), ErrorCode::kInvalidArgument);

  size_t live = 0;
  for (const Container& c : engine_.containers()) live += c.state != State::kEmpty;
  EXPECT_EQ(live, 1u);
}

TEST_F(Lifecycle, ThousandInstallRemoveCyclesOfMixedSizesNeverFragment) {
  // Each slot owns a fixed region, so memory never fragments: any mix that fits a region installs.
  FakeProgram p = LoopProgram();
  uint32_t live[kMaxContainers] = {};
  for (int cycle = 0; cycle < 1000; ++cycle) {
    const size_t slot = static_cast<size_t>(cycle * 7) % kMaxContainers;
    if (live[slot] != 0) {
      ASSERT_TRUE(engine_.Remove(live[slot]).ok());
      live[slot] = 0;
    }
    Quotas q = DefaultQuotas();
    q.memory_limit = 512u + static_cast<uint32_t>((cycle * 2654435761u) % 7000u);
    image::ContainerMetadata m = Metadata(p, Schedule{}, Permissions{}, q);
    InstallRequest request;
    request.metadata = &m;
    request.code = p.code();
    auto id = engine_.Install(request);
    ASSERT_TRUE(id.ok()) << "cycle " << cycle << ": " << id.status().message();
    live[slot] = *id;
  }
}

TEST_F(Lifecycle, TableFullIsReported) {
  FakeProgram p = LoopProgram();
  for (size_t i = 0; i < kMaxContainers; ++i) Install(p);
  const image::ContainerMetadata m = Metadata(p);
  InstallRequest request;
  request.metadata = &m;
  request.code = p.code();
  EXPECT_EQ(engine_.Install(request).status().code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace tc::engine::testing
