// The gate: permitted calls reach the service with resolved buffers; every denial reason returns
// its code to the guest, is counted, audited and traced; on_violation: stop is honoured.
#include <cstring>
#include <string>

#include "engine_fixture.h"

namespace tc::engine::testing {
namespace {

using runtime::Entry;
using runtime::HostAction;
using runtime::HostReply;

constexpr uint16_t kOpen = Number(HostFunction::kOpen);
constexpr uint16_t kRead = Number(HostFunction::kRead);
constexpr uint16_t kWrite = Number(HostFunction::kWrite);
constexpr uint16_t kClose = Number(HostFunction::kClose);
constexpr uint16_t kKvSet = Number(HostFunction::kKvSet);
constexpr uint16_t kLog = Number(HostFunction::kLog);
constexpr uint64_t kIn = kAccessRead;
constexpr uint64_t kOut = kAccessWrite;

// A device backend that records what reached it.
struct Backend {
  int opens = 0;
  int closes = 0;
  uint32_t last_closed_token = 0;
  std::string written;
  std::string logged;
};

HostReply OpenFn(void* ctx, ServiceCall& call) {
  auto* b = static_cast<Backend*>(ctx);
  ++b->opens;
  return {HostAction::kContinue, 100 + call.resolved->endpoint};  // the backend's token
}
HostReply ReadFn(void*, ServiceCall& call) {
  std::memset(call.resolved->buffers[0].data(), 'r', call.resolved->buffers[0].size());
  return {HostAction::kContinue, static_cast<int64_t>(call.resolved->buffers[0].size())};
}
HostReply WriteFn(void* ctx, ServiceCall& call) {
  auto* b = static_cast<Backend*>(ctx);
  b->written.assign(reinterpret_cast<const char*>(call.resolved->buffers[0].data()),
                    call.resolved->buffers[0].size());
  return {HostAction::kContinue, static_cast<int64_t>(call.resolved->token)};
}
HostReply CloseFn(void* ctx, ServiceCall& call) {
  auto* b = static_cast<Backend*>(ctx);
  ++b->closes;
  b->last_closed_token = call.resolved->token;
  return {HostAction::kContinue, 0};
}
HostReply LogFn(void* ctx, ServiceCall& call) {
  auto* b = static_cast<Backend*>(ctx);
  b->logged.assign(reinterpret_cast<const char*>(call.resolved->buffers[0].data()),
                   call.resolved->buffers[0].size());
  return {HostAction::kContinue, 0};
}
HostReply KvSetFn(void*, ServiceCall& call) {
  const Status charged = call.engine->ChargeKv(call.container, static_cast<int64_t>(call.arg(3)));
  return {HostAction::kContinue, charged.ok() ? 0 : -28};
}

class Gate : public EngineFixture {
 protected:
  Gate() {
    ServiceSpec open;
    open.fn = OpenFn;
    open.context = &backend_;
    open.endpoint = EndpointUse::kOpen;
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kOpen, open).ok());

    ServiceSpec read;
    read.fn = ReadFn;
    read.endpoint = EndpointUse::kHandle;
    read.access = kAccessRead;
    read.buffer_count = 1;
    read.buffers[0] = {1, 2};
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kRead, read).ok());

    ServiceSpec write = read;
    write.fn = WriteFn;
    write.context = &backend_;
    write.access = kAccessWrite;
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kWrite, write).ok());

    ServiceSpec close;
    close.fn = CloseFn;
    close.context = &backend_;
    close.endpoint = EndpointUse::kClose;
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kClose, close).ok());

    ServiceSpec log;
    log.fn = LogFn;
    log.context = &backend_;
    log.buffer_count = 1;
    log.buffers[0] = {0, 1};
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kLog, log).ok());

    ServiceSpec kv;
    kv.fn = KvSetFn;
    kv.buffer_count = 2;
    kv.buffers[0] = {0, 1};  // key
    kv.buffers[1] = {2, 3};  // value
    kv.quota = QuotaUse::kKvBytes;
    kv.quota_len_arg = 3;
    EXPECT_TRUE(engine_.RegisterService(HostFunction::kKvSet, kv).ok());

    permissions_.services =
        ServiceBit(Service::kEndpoint) | ServiceBit(Service::kLog) | ServiceBit(Service::kKv);
    EXPECT_TRUE(permissions_.endpoints.push_back(LocalEndpoint(1, Direction::kIn)).ok());
    EXPECT_TRUE(permissions_.endpoints.push_back(LocalEndpoint(2, Direction::kBoth)).ok());
    port_.AdvanceUs(100);  // so audit times are visibly taken from the clock
  }

  // Runs a one-shot program to completion; returns its container id.
  uint32_t RunProgram(std::vector<FakeStep> steps, const Permissions& permissions) {
    steps.push_back(FakeStep::Return(0));
    programs_.emplace_back();
    programs_.back().Export(Entry::kStart, std::move(steps));
    const uint32_t id = InstallAndStart(programs_.back(), Schedule{}, permissions);
    RunUntil(port_.NowUs() + 1000);
    return id;
  }

  void ExpectDenied(uint32_t id, uint16_t service, DenialReason reason, int32_t code) {
    EXPECT_EQ(Instance(id).last_result(), code) << ToString(reason);
    ASSERT_FALSE(engine_.audit_log().empty());
    const AuditEntry& entry = engine_.audit_log()[engine_.audit_log().size() - 1];
    EXPECT_EQ(entry.container, id);
    EXPECT_EQ(entry.service, service);
    EXPECT_EQ(entry.reason, reason);
    EXPECT_GE(entry.time_us, 100u);
    EXPECT_GE(Get(id).counters.denials, 1u);
  }

  Backend backend_;
  Permissions permissions_;
};

TEST_F(Gate, PermittedCallsReachTheServiceWithTheirBuffers) {
  const uint32_t id = RunProgram({FakeStep::Call(kOpen, {2, kOut}),  // handle 0
                                  FakeStep::Call(kWrite, {0, 16, 5}), FakeStep::Call(kClose, {0})},
                                 permissions_);
  const FakeInstance& guest = Instance(id);
  EXPECT_EQ(guest.results()[0], 0);    // handle number, not the backend token
  EXPECT_EQ(guest.results()[1], 102);  // the write saw the token of endpoint 2
  EXPECT_EQ(guest.results()[2], 0);
  EXPECT_EQ(backend_.opens, 1);
  EXPECT_EQ(backend_.closes, 1);
  EXPECT_EQ(backend_.written.size(), 5u);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  EXPECT_EQ(Get(id).counters.host_calls, 3u);
  EXPECT_TRUE(engine_.audit_log().empty());
}

TEST_F(Gate, ReadFillsOnlyTheCallersBuffer) {
  const uint32_t id = RunProgram(
      {FakeStep::Call(kOpen, {1, kIn}), FakeStep::Call(kRead, {0, 100, 8})}, permissions_);
  EXPECT_EQ(Instance(id).last_result(), 8);
  auto memory = Instance(id).Memory().bytes();
  EXPECT_EQ(memory[99], 0);
  EXPECT_EQ(memory[100], 'r');
  EXPECT_EQ(memory[107], 'r');
  EXPECT_EQ(memory[108], 0);
}

TEST_F(Gate, UnknownService) {
  const uint32_t id = RunProgram({FakeStep::Call(25)}, permissions_);
  ExpectDenied(id, 25, DenialReason::kUnknownService, kGuestUnknownService);
  const uint32_t beyond = RunProgram({FakeStep::Call(900)}, permissions_);
  ExpectDenied(beyond, 900, DenialReason::kUnknownService, kGuestUnknownService);
}

TEST_F(Gate, ServiceNotPermitted) {
  Permissions perm = permissions_;
  perm.services &= ~ServiceBit(Service::kLog);
  const uint32_t id = RunProgram({FakeStep::Call(kLog, {0, 4})}, perm);
  ExpectDenied(id, kLog, DenialReason::kServiceNotPermitted, kGuestNotPermitted);
  EXPECT_TRUE(backend_.logged.empty());
}

TEST_F(Gate, EndpointNotDeclared) {
  const uint32_t id = RunProgram({FakeStep::Call(kOpen, {7, kIn})}, permissions_);
  ExpectDenied(id, kOpen, DenialReason::kEndpointNotDeclared, kGuestNoEndpoint);
  const uint32_t huge = RunProgram({FakeStep::Call(kOpen, {0x10001, kIn})}, permissions_);
  ExpectDenied(huge, kOpen, DenialReason::kEndpointNotDeclared, kGuestNoEndpoint);
  EXPECT_EQ(backend_.opens, 0);
}

TEST_F(Gate, DirectionNotAllowed) {
  // Endpoint 1 is declared "in": opening it for output is refused...
  const uint32_t id = RunProgram({FakeStep::Call(kOpen, {1, kOut})}, permissions_);
  ExpectDenied(id, kOpen, DenialReason::kDirectionNotAllowed, kGuestDirectionDenied);
  // ... a nonsense mode too, and writing to a handle opened for input.
  const uint32_t mode = RunProgram({FakeStep::Call(kOpen, {2, 9})}, permissions_);
  ExpectDenied(mode, kOpen, DenialReason::kDirectionNotAllowed, kGuestDirectionDenied);
  const uint32_t write = RunProgram(
      {FakeStep::Call(kOpen, {1, kIn}), FakeStep::Call(kWrite, {0, 0, 4})}, permissions_);
  ExpectDenied(write, kWrite, DenialReason::kDirectionNotAllowed, kGuestDirectionDenied);
  EXPECT_TRUE(backend_.written.empty());
}

TEST_F(Gate, BadHandle) {
  const uint32_t id = RunProgram({FakeStep::Call(kRead, {3, 0, 4})}, permissions_);
  ExpectDenied(id, kRead, DenialReason::kBadHandle, kGuestBadHandle);
  const uint32_t far = RunProgram({FakeStep::Call(kClose, {UINT64_MAX})}, permissions_);
  ExpectDenied(far, kClose, DenialReason::kBadHandle, kGuestBadHandle);
  const uint32_t twice = RunProgram(
      {FakeStep::Call(kOpen, {2, kIn}), FakeStep::Call(kClose, {0}), FakeStep::Call(kClose, {0})},
      permissions_);
  ExpectDenied(twice, kClose, DenialReason::kBadHandle, kGuestBadHandle);
}

TEST_F(Gate, BuffersMustLieInsideTheCallersMemory) {
  const uint64_t size = DefaultQuotas().memory_limit;
  const std::vector<std::pair<uint64_t, uint64_t>> bad = {
      {size - 2, 4}, {size + 1, 0}, {0, size + 1}, {UINT64_MAX - 1, 4}, {8, UINT64_MAX}};
  for (const auto& [ptr, len] : bad) {
    const uint32_t id = RunProgram({FakeStep::Call(kLog, {ptr, len})}, permissions_);
    ExpectDenied(id, kLog, DenialReason::kBufferOutOfBounds, kGuestBadBuffer);
  }
  EXPECT_TRUE(backend_.logged.empty());
  const uint32_t edge = RunProgram({FakeStep::Call(kLog, {size - 4, 4})}, permissions_);
  EXPECT_EQ(Instance(edge).last_result(), 0);
  EXPECT_EQ(backend_.logged.size(), 4u);
}

TEST_F(Gate, HandleQuota) {
  Quotas one = DefaultQuotas();
  one.max_handles = 1;
  programs_.emplace_back();
  programs_.back().Export(Entry::kStart, {FakeStep::Call(kOpen, {1, kIn}),
                                          FakeStep::Call(kOpen, {2, kIn}), FakeStep::Return(0)});
  const uint32_t id = InstallAndStart(programs_.back(), Schedule{}, permissions_, one);
  RunUntil(1000);
  ExpectDenied(id, kOpen, DenialReason::kHandleQuota, kGuestHandleQuota);
  EXPECT_EQ(backend_.opens, 1);
}

TEST_F(Gate, KvQuota) {
  // 64-byte quota: 40 fits, a further 40 does not.
  const uint32_t id =
      RunProgram({FakeStep::Call(kKvSet, {0, 4, 16, 40}), FakeStep::Call(kKvSet, {0, 4, 16, 40})},
                 permissions_);
  EXPECT_EQ(Instance(id).results()[0], 0);
  ExpectDenied(id, kKvSet, DenialReason::kKvQuota, kGuestKvQuota);
  EXPECT_EQ(Get(id).kv_used, 40u);
}

TEST_F(Gate, ChannelEndpointsNeedTheChannelPermission) {
  Permissions perm = permissions_;
  Endpoint channel = LocalEndpoint(3, Direction::kOut);
  channel.peer.kind = PeerKind::kContainer;
  ASSERT_TRUE(channel.peer.container_uid.Assign("peer").ok());
  ASSERT_TRUE(perm.endpoints.push_back(channel).ok());
  const uint32_t denied = RunProgram({FakeStep::Call(kOpen, {3, kOut})}, perm);
  ExpectDenied(denied, kOpen, DenialReason::kServiceNotPermitted, kGuestNotPermitted);
  perm.services |= ServiceBit(Service::kChannel);
  const uint32_t allowed = RunProgram({FakeStep::Call(kOpen, {3, kOut})}, perm);
  EXPECT_EQ(Instance(allowed).last_result(), 0);
  // A container with only the channel permission cannot open device endpoints.
  perm.services = ServiceBit(Service::kChannel);
  const uint32_t device = RunProgram({FakeStep::Call(kOpen, {1, kIn})}, perm);
  ExpectDenied(device, kOpen, DenialReason::kServiceNotPermitted, kGuestNotPermitted);
}

TEST_F(Gate, KvUsageIsChargedWithinTheQuota) {
  const uint32_t id = RunProgram({}, permissions_);
  EXPECT_TRUE(engine_.ChargeKv(id, 60).ok());
  EXPECT_EQ(engine_.ChargeKv(id, 5).code(), ErrorCode::kResourceExhausted);
  EXPECT_EQ(engine_.ChargeKv(id, -61).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(engine_.ChargeKv(id, -60).ok());
  EXPECT_EQ(Get(id).kv_used, 0u);
  EXPECT_EQ(engine_.ChargeKv(0x7777, 1).code(), ErrorCode::kNotFound);
}

TEST_F(Gate, OnViolationStopEndsTheContainerAtTheDeniedCall) {
  Permissions strict = permissions_;
  strict.on_violation = ViolationPolicy::kStop;
  const uint32_t id =
      RunProgram({FakeStep::Call(kOpen, {7, kIn}), FakeStep::Call(kLog, {0, 4})}, strict);
  EXPECT_EQ(Get(id).state, State::kStopped);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  EXPECT_TRUE(backend_.logged.empty());  // the instruction after the denial never ran
}

TEST_F(Gate, DenialsAreTraced) {
  const uint32_t id = RunProgram({FakeStep::Call(25)}, permissions_);
  bool found = false;
  const auto& trace = engine_.trace();
  for (size_t i = 0; i < trace.size(); ++i) {
    if (trace[i].kind == TraceKind::kDenial && trace[i].slot == (id & 0xFF)) {
      found = true;
      EXPECT_EQ(trace[i].value, 25u);
      EXPECT_EQ(trace[i].aux, static_cast<uint8_t>(DenialReason::kUnknownService));
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(Gate, ServiceRegistrationIsValidated) {
  ServiceSpec none;
  EXPECT_EQ(engine_.RegisterService(HostFunction::kLog, none).code(), ErrorCode::kInvalidArgument);
  ServiceSpec bad = {};
  bad.fn = LogFn;
  bad.buffer_count = 3;
  EXPECT_EQ(engine_.RegisterService(HostFunction::kLog, bad).code(), ErrorCode::kInvalidArgument);
  bad.buffer_count = 1;
  bad.buffers[0] = {0, 9};
  EXPECT_EQ(engine_.RegisterService(HostFunction::kLog, bad).code(), ErrorCode::kInvalidArgument);
  bad.buffers[0] = {0, 1};
  EXPECT_EQ(engine_.RegisterService(static_cast<HostFunction>(40), bad).code(),
            ErrorCode::kOutOfRange);
}

}  // namespace
}  // namespace tc::engine::testing
