// Run-time reconfiguration (C5): schedule and permissions of a running container change
// atomically, without a restart; revoked handles are closed; replays and invalid updates are
// refused and leave the old configuration in force.
#include "engine_fixture.h"

namespace tc::engine::testing {
namespace {

using runtime::Entry;
using runtime::HostAction;
using runtime::HostReply;

constexpr uint16_t kOpen = Number(HostFunction::kOpen);
constexpr uint16_t kRead = Number(HostFunction::kRead);
constexpr uint16_t kLog = Number(HostFunction::kLog);

struct Device {
  int closes = 0;
  int logs = 0;
};

HostReply OpenFn(void*, ServiceCall&) { return {HostAction::kContinue, 7}; }
HostReply ReadFn(void*, ServiceCall&) { return {HostAction::kContinue, 1}; }
HostReply CloseFn(void* ctx, ServiceCall&) {
  ++static_cast<Device*>(ctx)->closes;
  return {HostAction::kContinue, 0};
}
HostReply LogFn(void* ctx, ServiceCall&) {
  ++static_cast<Device*>(ctx)->logs;
  return {HostAction::kContinue, 0};
}

Schedule Periodic(uint32_t period_us, uint8_t priority) {
  Schedule s;
  s.period_us = period_us;
  s.priority = priority;
  return s;
}

class Reconfigure : public EngineFixture {
 protected:
  Reconfigure() {
    ServiceSpec open;
    open.fn = OpenFn;
    open.endpoint = EndpointUse::kOpen;
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kOpen, open).ok());
    ServiceSpec read;
    read.fn = ReadFn;
    read.endpoint = EndpointUse::kHandle;
    read.access = kAccessRead;
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kRead, read).ok());
    ServiceSpec close;
    close.fn = CloseFn;
    close.context = &device_;
    close.endpoint = EndpointUse::kClose;
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kClose, close).ok());
    ServiceSpec log;
    log.fn = LogFn;
    log.context = &device_;
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kLog, log).ok());

    permissions_.services = ServiceBit(Service::kEndpoint) | ServiceBit(Service::kLog);
    EXPECT_TRUE(permissions_.endpoints.push_back(LocalEndpoint(1, Direction::kIn)).ok());
    EXPECT_TRUE(permissions_.endpoints.push_back(LocalEndpoint(2, Direction::kBoth)).ok());

    // A sensor reader: opens endpoint 1 once, then reads and logs every period.
    sampler_.Export(Entry::kInit, {FakeStep::Call(kOpen, {1, 1}), FakeStep::Return(0)});
    sampler_.Export(Entry::kLoop, {FakeStep::Compute(500), FakeStep::Call(kRead, {0}),
                                   FakeStep::Call(kLog), FakeStep::Return(0)});
  }

  Device device_;
  Permissions permissions_;
  FakeProgram sampler_;
};

TEST_F(Reconfigure, PeriodChangeTakesEffectWithoutRestart) {
  const uint32_t id = InstallAndStart(sampler_, Periodic(1000, 8), permissions_);
  FakeProgram other_program;
  other_program.Export(Entry::kLoop, {FakeStep::Compute(100), FakeStep::Return(0)});
  const uint32_t other = InstallAndStart(other_program, Periodic(1000, 7));
  RunUntil(5000);
  EXPECT_EQ(Get(id).counters.activations, 5u);
  const int instantiations = runtime_.instantiations;

  ConfigUpdate update = Update(id, 1);
  update.has_schedule = true;
  update.schedule = Periodic(250, 8);
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  RunUntil(10000);
  EXPECT_EQ(Get(id).counters.activations, 5u + 20u);
  EXPECT_EQ(Get(other).counters.activations, 10u);
  EXPECT_EQ(runtime_.instantiations, instantiations);  // nobody restarted
  EXPECT_EQ(Get(id).config_sequence, 1u);
  EXPECT_EQ(Get(id).counters.deadline_misses, 0u);
}

TEST_F(Reconfigure, PriorityChangeReordersAtTheNextDispatch) {
  FakeProgram spin;
  spin.Export(Entry::kLoop, {FakeStep::Forever()});
  Schedule a;
  a.priority = 9;
  Schedule b;
  b.priority = 5;
  const uint32_t first = InstallAndStart(spin, a);
  const uint32_t second = InstallAndStart(spin, b);
  RunUntil(1000);
  EXPECT_EQ(Get(second).counters.cpu_time_us, 0u);
  ConfigUpdate update = Update(second, 1);
  update.has_schedule = true;
  update.schedule.priority = 10;
  ASSERT_TRUE(engine_.Configure(second, update).ok());
  const uint64_t before = Get(first).counters.cpu_time_us;
  RunUntil(2000);
  EXPECT_EQ(Get(first).counters.cpu_time_us, before);
  EXPECT_GE(Get(second).counters.cpu_time_us, 990u);
}

TEST_F(Reconfigure, RevokedServiceIsDeniedAtTheNextCall) {
  const uint32_t id = InstallAndStart(sampler_, Periodic(1000, 8), permissions_);
  RunUntil(3000);
  EXPECT_EQ(device_.logs, 3);
  ConfigUpdate update = Update(id, 5);
  update.has_permissions = true;
  update.permissions = permissions_;
  update.permissions.services &= ~ServiceBit(Service::kLog);
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  RunUntil(6000);
  EXPECT_EQ(device_.logs, 3);
  EXPECT_EQ(Get(id).counters.denials, 3u);
  EXPECT_EQ(Instance(id).last_result(), kGuestNotPermitted);
  EXPECT_EQ(Get(id).counters.activations, 6u);  // still running, not restarted
  EXPECT_EQ(Get(id).state, State::kSleeping);
}

TEST_F(Reconfigure, RevokedEndpointClosesItsHandle) {
  const uint32_t id = InstallAndStart(sampler_, Periodic(1000, 8), permissions_);
  RunUntil(2000);
  EXPECT_TRUE(Get(id).handles[0].open);
  ConfigUpdate update = Update(id, 1);
  update.has_permissions = true;
  update.permissions = permissions_;
  update.permissions.endpoints.clear();
  ASSERT_TRUE(update.permissions.endpoints.push_back(LocalEndpoint(2, Direction::kBoth)).ok());
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  EXPECT_EQ(device_.closes, 1);
  EXPECT_FALSE(Get(id).handles[0].open);
  RunUntil(3000);
  EXPECT_EQ(Instance(id).recent(1), kGuestBadHandle);  // the read; the log came after it
}

TEST_F(Reconfigure, NarrowedDirectionClosesTheHandleToo) {
  Permissions perm = permissions_;
  perm.endpoints.clear();
  ASSERT_TRUE(perm.endpoints.push_back(LocalEndpoint(1, Direction::kBoth)).ok());
  const uint32_t id = InstallAndStart(sampler_, Periodic(1000, 8), perm);
  RunUntil(1500);
  ConfigUpdate update = Update(id, 1);
  update.has_permissions = true;
  update.permissions = perm;
  update.permissions.endpoints[0].direction = Direction::kOut;
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  EXPECT_EQ(device_.closes, 1);
  // A handle still covered by the new policy stays open.
  ConfigUpdate keep = update;
  keep.sequence = 2;
  keep.permissions.endpoints[0].direction = Direction::kBoth;
  ASSERT_TRUE(engine_.Configure(id, keep).ok());
  EXPECT_EQ(device_.closes, 1);
}

TEST_F(Reconfigure, ReplayedOrOldSequenceIsRefused) {
  const uint32_t id = InstallAndStart(sampler_, Periodic(1000, 8), permissions_);
  ConfigUpdate update = Update(id, 3);
  update.has_schedule = true;
  update.schedule = Periodic(500, 8);
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  ConfigUpdate replay = update;
  replay.schedule = Periodic(100, 10);
  EXPECT_EQ(engine_.Configure(id, replay).code(), ErrorCode::kRollback);
  replay.sequence = 2;
  EXPECT_EQ(engine_.Configure(id, replay).code(), ErrorCode::kRollback);
  EXPECT_EQ(Get(id).schedule.period_us, 500u);
  EXPECT_EQ(Get(id).config_sequence, 3u);
}

TEST_F(Reconfigure, InvalidUpdateChangesNothing) {
  const uint32_t id = InstallAndStart(sampler_, Periodic(1000, 8), permissions_);
  ConfigUpdate update = Update(id, 1);
  update.has_schedule = true;
  update.schedule = Periodic(1000, 9);
  update.schedule.budget_us = 5000;
  update.has_permissions = true;  // valid on its own, but the update is all or nothing
  update.permissions.services = 0;
  EXPECT_EQ(engine_.Configure(id, update).code(), ErrorCode::kInvalid);
  EXPECT_EQ(Get(id).schedule.priority, 8u);
  EXPECT_EQ(Get(id).permissions.services, permissions_.services);
  EXPECT_EQ(Get(id).config_sequence, 0u);

  ConfigUpdate dup = Update(id, 1);
  dup.has_permissions = true;
  ASSERT_TRUE(dup.permissions.endpoints.push_back(LocalEndpoint(4, Direction::kIn)).ok());
  ASSERT_TRUE(dup.permissions.endpoints.push_back(LocalEndpoint(4, Direction::kOut)).ok());
  EXPECT_EQ(engine_.Configure(id, dup).code(), ErrorCode::kAlreadyExists);

  ConfigUpdate stranger = Update(id, 1);
  stranger.has_schedule = true;
  ASSERT_TRUE(stranger.uid.Assign("someone.else").ok());
  EXPECT_EQ(engine_.Configure(id, stranger).code(), ErrorCode::kInvalidArgument);

  ConfigUpdate empty = Update(id, 1);
  EXPECT_EQ(engine_.Configure(id, empty).code(), ErrorCode::kInvalidArgument);
  // The refused updates did not consume sequence numbers.
  update.schedule.budget_us = 100;
  EXPECT_TRUE(engine_.Configure(id, update).ok());
}

TEST_F(Reconfigure, LargerBudgetReleasesAThrottledContainer) {
  FakeProgram spin;
  spin.Export(Entry::kLoop, {FakeStep::Forever()});
  Schedule s = Periodic(10000, 9);
  s.budget_us = 100;
  const uint32_t id = InstallAndStart(spin, s);
  RunUntil(500);
  EXPECT_EQ(Get(id).state, State::kThrottled);
  ConfigUpdate update = Update(id, 1);
  update.has_schedule = true;
  update.schedule = s;
  update.schedule.budget_us = 1000;
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  EXPECT_EQ(Get(id).state, State::kReady);
  RunUntil(5000);
  EXPECT_EQ(Get(id).state, State::kThrottled);
  EXPECT_NEAR(static_cast<double>(Get(id).counters.cpu_time_us), 1000.0, 2.0);
}

TEST_F(Reconfigure, RemovedContainerCannotBeConfigured) {
  const uint32_t id = Install(sampler_, Periodic(1000, 8), permissions_);
  ASSERT_TRUE(engine_.Remove(id).ok());
  ConfigUpdate update = Update(id, 1);
  update.has_schedule = true;
  const Status status = engine_.Configure(id, update);
  EXPECT_EQ(status.code(), ErrorCode::kFailedPrecondition);
  EXPECT_STREQ(status.message(), "configure: container was removed");
}

}  // namespace
}  // namespace tc::engine::testing
