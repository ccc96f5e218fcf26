// Scheduler: priorities, periods, budgets, deadlines, round robin, preemption and its bound,
// overrun policies, tickless idle and the charging of host-service time. The fake guest runs
// 10 ns per instruction, so the default 1000-instruction quantum is 10 us.
#include <algorithm>
#include <vector>

#include "engine_fixture.h"

namespace tc::engine::testing {
namespace {

using runtime::Entry;

constexpr uint64_t kQuantumUs = 10;

FakeProgram Work(uint64_t instructions) {
  FakeProgram p;
  p.Export(Entry::kLoop, {FakeStep::Compute(instructions), FakeStep::Return(0)});
  return p;
}

FakeProgram Runaway() {
  FakeProgram p;
  p.Export(Entry::kLoop, {FakeStep::Forever()});
  return p;
}

Schedule Periodic(uint32_t period_us, uint8_t priority, uint32_t budget_us = 0,
                  uint32_t deadline_us = 0) {
  Schedule s;
  s.period_us = period_us;
  s.priority = priority;
  s.budget_us = budget_us;
  s.deadline_us = deadline_us;
  return s;
}

Schedule Background(uint8_t priority, uint32_t slice_us = 0) {
  Schedule s;
  s.priority = priority;
  s.slice_us = slice_us;
  return s;
}

class Scheduler : public EngineFixture {
 protected:
  // Start times of the run slices of `id` from the trace.
  std::vector<TraceEvent> Events(uint32_t id, TraceKind kind) const {
    std::vector<TraceEvent> out;
    const auto& trace = engine_.trace();
    for (size_t i = 0; i < trace.size(); ++i) {
      if (trace[i].slot == (id & 0xFF) && trace[i].kind == kind) out.push_back(trace[i]);
    }
    return out;
  }
};

TEST_F(Scheduler, PeriodicContainerIsReleasedOncePerPeriod) {
  FakeProgram p = Work(1000);  // 10 us per activation
  const uint32_t id = InstallAndStart(p, Periodic(1000, 8));
  RunUntil(10000);
  EXPECT_EQ(Get(id).counters.activations, 10u);
  EXPECT_EQ(Get(id).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(id).counters.cpu_time_us, 100u);
  for (const TraceEvent& e : Events(id, TraceKind::kRelease)) EXPECT_EQ(e.time_us % 1000, 0u);
}

TEST_F(Scheduler, HigherPriorityRunsFirst) {
  FakeProgram p;
  p.Export(Entry::kStart, {FakeStep::Compute(5000), FakeStep::Return(0)});
  const uint32_t low = InstallAndStart(p, Background(5));
  const uint32_t high = InstallAndStart(p, Background(9));
  while (Get(high).state != State::kStopped) {
    ASSERT_TRUE(engine_.Step().ran);
    EXPECT_EQ(Instance(low).instructions(), 0u);
  }
  RunUntil(200);
  EXPECT_EQ(Get(low).state, State::kStopped);
}

TEST_F(Scheduler, IdleEngineReportsNextReleaseForTicklessSleep) {
  FakeProgram a = Work(100);
  FakeProgram b = Work(100);
  InstallAndStart(a, Periodic(1000, 9));
  InstallAndStart(b, Periodic(700, 8));
  RunUntil(10);
  StepResult r = engine_.Step();
  EXPECT_FALSE(r.ran);
  EXPECT_EQ(r.next_wake_us, 700u);
  EXPECT_EQ(port_.wake_at_us(), 700u);
  port_.AdvanceUs(700 - port_.NowUs());
  EXPECT_TRUE(engine_.Step().ran);
  RunUntil(702);
  r = engine_.Step();
  EXPECT_FALSE(r.ran);
  EXPECT_EQ(r.next_wake_us, 1000u);
}

TEST_F(Scheduler, NothingInstalledMeansNoWakeUp) {
  const StepResult r = engine_.Step();
  EXPECT_FALSE(r.ran);
  EXPECT_EQ(r.next_wake_us, kNever);
}

TEST_F(Scheduler, DeadlineMissesAreCounted) {
  FakeProgram p = Work(70000);  // 700 us of work against a 500 us deadline
  const uint32_t id = InstallAndStart(p, Periodic(1000, 8, 0, 500));
  RunUntil(5000);
  EXPECT_EQ(Get(id).counters.activations, 5u);
  EXPECT_EQ(Get(id).counters.deadline_misses, 5u);
  const auto misses = Events(id, TraceKind::kDeadlineMiss);
  ASSERT_FALSE(misses.empty());
  EXPECT_GT(misses[0].value, 0u);
}

TEST_F(Scheduler, PreemptedByHigherPriorityCausesTheMiss) {
  FakeProgram hog = Work(60000);   // 600 us, high priority
  FakeProgram late = Work(50000);  // 500 us, deadline 800: only 400 us left after the hog
  const uint32_t h = InstallAndStart(hog, Periodic(1000, 9));
  const uint32_t l = InstallAndStart(late, Periodic(1000, 8, 0, 800));
  RunUntil(4000);
  EXPECT_EQ(Get(h).counters.deadline_misses, 0u);
  // Each late activation ends in the next period; the release it overlapped is skipped, not
  // queued, so every other period starts an activation and each of them misses.
  EXPECT_EQ(Get(l).counters.activations, 2u);
  EXPECT_EQ(Get(l).counters.deadline_misses, 2u);
}

TEST_F(Scheduler, BudgetOverrunThrottlesUntilTheNextPeriod) {
  FakeProgram p = Runaway();
  Schedule s = Periodic(1000, 9, 200);
  s.on_overrun = OverrunPolicy::kThrottle;
  const uint32_t id = InstallAndStart(p, s);
  RunUntil(10000);
  const Container& c = Get(id);
  EXPECT_EQ(c.counters.overruns, 10u);
  // Never more than the budget per period, give or take the tick granularity.
  EXPECT_GE(c.counters.cpu_time_us, 10u * 200);
  EXPECT_LE(c.counters.cpu_time_us, 10u * (200 + 1));
  EXPECT_EQ(c.state, State::kThrottled);
}

TEST_F(Scheduler, BudgetOverrunCanStopTheContainer) {
  FakeProgram p = Runaway();
  Schedule s = Periodic(1000, 9, 200);
  s.on_overrun = OverrunPolicy::kStop;
  const uint32_t id = InstallAndStart(p, s);
  RunUntil(5000);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Get(id).counters.overruns, 1u);
}

TEST_F(Scheduler, BudgetOverrunRestartsUpToTheLimitThenStops) {
  FakeProgram p = Runaway();
  p.Export(Entry::kInit, {FakeStep::Return(0)});
  Schedule s = Periodic(1000, 9, 200);
  s.on_overrun = OverrunPolicy::kRestart;
  s.max_restarts = 2;
  const uint32_t id = InstallAndStart(p, s);
  const int instantiations = runtime_.instantiations;
  RunUntil(10000);
  EXPECT_EQ(Get(id).counters.restarts, 2u);
  EXPECT_EQ(Get(id).counters.overruns, 3u);
  EXPECT_EQ(runtime_.instantiations, instantiations + 2);
  EXPECT_EQ(Get(id).state, State::kStopped);
}

TEST_F(Scheduler, EqualPrioritiesShareTheCpuBySlices) {
  FakeProgram p = Runaway();
  const uint32_t a = InstallAndStart(p, Background(7, 100));
  const uint32_t b = InstallAndStart(p, Background(7, 100));
  RunUntil(10000);
  const uint64_t ta = Get(a).counters.cpu_time_us;
  const uint64_t tb = Get(b).counters.cpu_time_us;
  EXPECT_NEAR(static_cast<double>(ta), 5000.0, 150.0);
  EXPECT_NEAR(static_cast<double>(tb), 5000.0, 150.0);
  // Each turn lasts one slice: count the switches between a and b.
  int switches = 0;
  uint8_t last = 0xFF;
  const auto& trace = engine_.trace();
  for (size_t i = 0; i < trace.size(); ++i) {
    if (trace[i].kind != TraceKind::kRun) continue;
    if (last != 0xFF && trace[i].slot != last) ++switches;
    last = trace[i].slot;
  }
  EXPECT_GE(switches, 40);
}

TEST_F(Scheduler, HigherPriorityReleasePreemptsRunawayAtTheTick) {
  FakeProgram runaway = Runaway();
  FakeProgram periodic = Work(2000);
  const uint32_t r = InstallAndStart(runaway, Background(5));
  const uint32_t p = InstallAndStart(periodic, Periodic(1000, 9));
  RunUntil(20000);
  EXPECT_EQ(Get(p).counters.activations, 20u);
  EXPECT_EQ(Get(p).counters.deadline_misses, 0u);
  // With a tick at each release, the periodic container starts within one instruction of it.
  const auto releases = Events(p, TraceKind::kRelease);
  const auto runs = Events(p, TraceKind::kRun);
  ASSERT_GE(runs.size(), releases.size());
  for (const TraceEvent& release : releases) {
    const auto first = std::find_if(runs.begin(), runs.end(), [&](const TraceEvent& run) {
      return run.time_us >= release.time_us;
    });
    ASSERT_NE(first, runs.end());
    EXPECT_LE(first->time_us - release.time_us, 1u);
  }
  EXPECT_GT(Get(r).counters.cpu_time_us, 15000u);
}

TEST_F(Scheduler, WithoutTicksPreemptionWaitsAtMostOneFuelQuantum) {
  port_.set_on_tick(nullptr);  // a port without a timer: only the fuel quantum bounds the wait
  FakeProgram runaway = Runaway();
  FakeProgram periodic = Work(2000);
  InstallAndStart(runaway, Background(5));
  const uint32_t p = InstallAndStart(periodic, Periodic(1000, 9));
  RunUntil(20000);
  EXPECT_EQ(Get(p).counters.activations, 20u);
  const auto releases = Events(p, TraceKind::kRelease);
  const auto runs = Events(p, TraceKind::kRun);
  for (const TraceEvent& release : releases) {
    const auto first = std::find_if(runs.begin(), runs.end(), [&](const TraceEvent& run) {
      return run.time_us >= release.time_us;
    });
    ASSERT_NE(first, runs.end());
    EXPECT_LE(first->time_us - release.time_us, kQuantumUs);
  }
}

TEST_F(Scheduler, TwoPeriodicContainersMissNoDeadlineNextToARunaway) {
  FakeProgram fast = Work(20000);  // 200 us every 1 ms
  FakeProgram slow = Work(50000);  // 500 us every 2.5 ms
  FakeProgram runaway = Runaway();
  // The runaway even has the most urgent priority; its budget keeps it in check.
  Schedule rogue = Periodic(1000, 10, 150);
  rogue.on_overrun = OverrunPolicy::kThrottle;
  const uint32_t r = InstallAndStart(runaway, rogue);
  const uint32_t f = InstallAndStart(fast, Periodic(1000, 9));
  const uint32_t s = InstallAndStart(slow, Periodic(2500, 8));
  RunUntil(50000);
  EXPECT_EQ(Get(f).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(s).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(f).counters.activations, 50u);
  EXPECT_EQ(Get(s).counters.activations, 20u);
  EXPECT_GE(Get(r).counters.overruns, 49u);
}

TEST_F(Scheduler, BackgroundRunawayNeverDelaysPeriodicOnes) {
  FakeProgram fast = Work(20000);
  FakeProgram slow = Work(50000);
  FakeProgram runaway = Runaway();
  const uint32_t r = InstallAndStart(runaway, Background(1));
  const uint32_t f = InstallAndStart(fast, Periodic(1000, 9));
  const uint32_t s = InstallAndStart(slow, Periodic(2500, 8));
  RunUntil(50000);
  EXPECT_EQ(Get(f).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(s).counters.deadline_misses, 0u);
  EXPECT_EQ(Get(f).counters.activations, 50u);
  EXPECT_EQ(Get(s).counters.activations, 20u);
  EXPECT_GE(Get(r).counters.cpu_time_us, 50000u - 50u * 200 - 20u * 500 - 100);
}

// A service that takes host time, to show it is charged to the caller.
runtime::HostReply SlowService(void* context, ServiceCall&) {
  static_cast<FakePort*>(context)->AdvanceUs(500);
  return {runtime::HostAction::kContinue, 0};
}

TEST_F(Scheduler, TimeInHostServicesIsChargedToTheCaller) {
  ServiceSpec spec;
  spec.fn = SlowService;
  spec.context = &port_;
  ASSERT_TRUE(engine_.RegisterService(HostFunction::kLog, spec).ok());
  FakeProgram caller;
  caller.Export(Entry::kLoop, {FakeStep::Call(Number(HostFunction::kLog)), FakeStep::Return(0)});
  FakeProgram other = Work(100);
  Permissions perm;
  perm.services = ServiceBit(Service::kLog);
  const uint32_t c = InstallAndStart(caller, Periodic(1000, 9), perm);
  const uint32_t o = InstallAndStart(other, Periodic(1000, 8));
  RunUntil(3000);
  EXPECT_GE(Get(c).counters.cpu_time_us, 3u * 500);
  EXPECT_LE(Get(o).counters.cpu_time_us, 3u * 1 + 1);
}

TEST_F(Scheduler, SleepBlocksOnlyTheCaller) {
  FakeProgram sleeper;
  sleeper.Export(Entry::kStart,
                 {FakeStep::Call(Number(HostFunction::kSleepUs), {300}),
                  FakeStep::Call(Number(HostFunction::kNowUs)), FakeStep::Return(0)});
  FakeProgram runaway = Runaway();
  Permissions perm;
  perm.services = ServiceBit(Service::kSleep) | ServiceBit(Service::kTime);
  const uint32_t s = InstallAndStart(sleeper, Background(9), perm);
  const uint32_t r = InstallAndStart(runaway, Background(5));
  engine_.Step();
  EXPECT_EQ(Get(s).state, State::kSleeping);
  RunUntil(1000);
  EXPECT_EQ(Get(s).state, State::kStopped);
  // Woken at 300 us (plus the instruction of the call) by the tick.
  EXPECT_GE(Instance(s).last_result(), 300);
  EXPECT_LE(Instance(s).last_result(), 302);
  EXPECT_GT(Get(r).counters.cpu_time_us, 900u);
}

TEST_F(Scheduler, YieldHandsTheCpuToAnEqualPriorityContainer) {
  FakeProgram polite;
  polite.Export(Entry::kLoop, {FakeStep::Compute(10), FakeStep::Call(Number(HostFunction::kYield)),
                               FakeStep::Return(0)});
  FakeProgram worker = Work(1000);
  Permissions perm;
  perm.services = ServiceBit(Service::kYield);
  const uint32_t p = InstallAndStart(polite, Background(7), perm);
  const uint32_t w = InstallAndStart(worker, Background(7));
  engine_.Step();  // polite runs first (installed first) and yields
  EXPECT_EQ(Get(p).state, State::kReady);
  engine_.Step();
  EXPECT_GT(Instance(w).instructions(), 0u);
}

runtime::HostReply BlockingService(void*, ServiceCall&) { return {runtime::HostAction::kBlock, 0}; }

TEST_F(Scheduler, BlockedContainerResumesWithTheEventResult) {
  ServiceSpec spec;
  spec.fn = BlockingService;
  ASSERT_TRUE(engine_.RegisterService(HostFunction::kRandom, spec).ok());
  FakeProgram reader;
  reader.Export(Entry::kStart,
                {FakeStep::Call(Number(HostFunction::kRandom)), FakeStep::Return(0)});
  Permissions perm;
  perm.services = ServiceBit(Service::kRandom);
  const uint32_t id = InstallAndStart(reader, Background(8), perm);
  EXPECT_EQ(engine_.CompleteBlockedCall(id, 1).code(), ErrorCode::kFailedPrecondition);
  engine_.Step();
  EXPECT_EQ(Get(id).state, State::kBlocked);
  RunUntil(500);
  EXPECT_EQ(Get(id).state, State::kBlocked);
  ASSERT_TRUE(engine_.CompleteBlockedCall(id, 42).ok());
  RunUntil(600);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Instance(id).last_result(), 42);
}

TEST_F(Scheduler, EventArrivingWhileSuspendedIsKeptForTheResume) {
  ServiceSpec spec;
  spec.fn = BlockingService;
  ASSERT_TRUE(engine_.RegisterService(HostFunction::kRandom, spec).ok());
  FakeProgram reader;
  reader.Export(Entry::kStart,
                {FakeStep::Call(Number(HostFunction::kRandom)), FakeStep::Return(0)});
  Permissions perm;
  perm.services = ServiceBit(Service::kRandom);
  const uint32_t id = InstallAndStart(reader, Background(2), perm);
  engine_.Step();
  ASSERT_EQ(Get(id).state, State::kBlocked);
  ASSERT_TRUE(engine_.Suspend(id).ok());
  ASSERT_TRUE(engine_.CompleteBlockedCall(id, 7).ok());
  RunUntil(100);
  EXPECT_EQ(Get(id).state, State::kSuspended);
  ASSERT_TRUE(engine_.Resume(id).ok());
  EXPECT_EQ(Get(id).state, State::kReady);
  RunUntil(200);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Instance(id).last_result(), 7);
}

}  // namespace
}  // namespace tc::engine::testing
