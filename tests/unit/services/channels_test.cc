// Channel edge cases driven through the gate directly: queue bounds, message size, slot
// exhaustion, a channel to itself, device endpoints without a backend, handle checks.
#include <cstring>
#include <string>

#include "endpoint_builders.h"
#include "engine_fixture.h"
#include "tc/services/channels.h"
#include "tc/services/endpoints.h"

namespace tc::services {
namespace {

using engine::HostFunction;
using engine::Number;
using engine::testing::EngineFixture;
using engine::testing::FakeProgram;
using image::Service;
using image::ServiceBit;
using testing::ChannelEnd;

class ChannelsTest : public EngineFixture {
 protected:
  ChannelsTest() {
    EXPECT_TRUE(endpoints_.Register(engine_).ok());
    program_.Export(runtime::Entry::kStart, {engine::testing::FakeStep::Return(0)});
  }

  // Installs a container (uids are c0, c1, ... in install order) with the given endpoints.
  uint32_t Add(std::initializer_list<engine::Endpoint> endpoints,
               image::ServiceMask services = ServiceBit(Service::kChannel)) {
    engine::Permissions p;
    p.services = services;
    for (const engine::Endpoint& e : endpoints) EXPECT_TRUE(p.endpoints.push_back(e).ok());
    engine::Quotas q = DefaultQuotas();
    q.max_handles = 4;
    return Install(program_, {}, p, q);
  }

  int64_t Call(uint32_t id, HostFunction f, std::initializer_list<uint64_t> args) {
    return CallReply(id, f, args).value;
  }
  runtime::HostReply CallReply(uint32_t id, HostFunction f, std::initializer_list<uint64_t> args) {
    return CallService(id, Number(f), args, memory_);
  }

  Channels channels_;
  Endpoints endpoints_{&channels_, nullptr};  // no device table: device endpoints answer -38
  FakeProgram program_;
  uint8_t memory_[256] = {};
};

constexpr uint64_t kRead = engine::kAccessRead;
constexpr uint64_t kWrite = engine::kAccessWrite;

TEST_F(ChannelsTest, MessagesQueueUpToTheDepthAndAreReadInOrder) {
  const uint32_t a = Add({ChannelEnd(1, "c1", 2, engine::Direction::kOut)});
  const uint32_t b = Add({ChannelEnd(2, "c0", 1, engine::Direction::kIn)});
  const int64_t w = Call(a, HostFunction::kOpen, {1, kWrite});
  const int64_t r = Call(b, HostFunction::kOpen, {2, kRead});
  ASSERT_GE(w, 0);
  ASSERT_GE(r, 0);
  for (size_t i = 0; i < kChannelDepth; ++i) {
    memory_[0] = static_cast<uint8_t>('0' + i);
    EXPECT_EQ(Call(a, HostFunction::kWrite, {uint64_t(w), 0, 1}), 1);
  }
  EXPECT_EQ(Call(a, HostFunction::kWrite, {uint64_t(w), 0, 1}), kGuestWouldBlock);
  EXPECT_EQ(channels_.Pending("c1", 2, "c0", 1), kChannelDepth);
  EXPECT_EQ(Call(b, HostFunction::kRead, {uint64_t(r), 100, 8}), 1);
  EXPECT_EQ(memory_[100], '0');
  EXPECT_EQ(Call(b, HostFunction::kRead, {uint64_t(r), 100, 8}), 1);
  EXPECT_EQ(memory_[100], '1');
  EXPECT_EQ(channels_.Pending("c1", 2, "c0", 1), kChannelDepth - 2);
}

TEST_F(ChannelsTest, LongMessagesAreRefusedAndShortBuffersTruncate) {
  const uint32_t a = Add({ChannelEnd(1, "c1", 2, engine::Direction::kOut)});
  const uint32_t b = Add({ChannelEnd(2, "c0", 1, engine::Direction::kIn)});
  const int64_t w = Call(a, HostFunction::kOpen, {1, kWrite});
  const int64_t r = Call(b, HostFunction::kOpen, {2, kRead});
  EXPECT_EQ(Call(a, HostFunction::kWrite, {uint64_t(w), 0, kChannelMessageBytes + 1}),
            kGuestMessageTooLong);
  std::memcpy(memory_, "abcdef", 6);
  EXPECT_EQ(Call(a, HostFunction::kWrite, {uint64_t(w), 0, 6}), 6);
  EXPECT_EQ(Call(b, HostFunction::kRead, {uint64_t(r), 100, 3}), 3);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(memory_ + 100), 3), "abc");
}

TEST_F(ChannelsTest, DirectionAndHandleChecksAreTheGates) {
  const uint32_t a = Add({ChannelEnd(1, "c1", 2, engine::Direction::kOut)});
  EXPECT_EQ(Call(a, HostFunction::kOpen, {1, kRead}), engine::kGuestDirectionDenied);
  EXPECT_EQ(Call(a, HostFunction::kOpen, {7, kWrite}), engine::kGuestNoEndpoint);
  const int64_t w = Call(a, HostFunction::kOpen, {1, kWrite});
  ASSERT_GE(w, 0);
  EXPECT_EQ(Call(a, HostFunction::kRead, {uint64_t(w), 0, 4}), engine::kGuestDirectionDenied);
  EXPECT_EQ(Call(a, HostFunction::kWrite, {uint64_t(w), 250, 10}), engine::kGuestBadBuffer);
  EXPECT_EQ(Call(a, HostFunction::kClose, {uint64_t(w)}), 0);
  EXPECT_EQ(Call(a, HostFunction::kWrite, {uint64_t(w), 0, 1}), engine::kGuestBadHandle);
  EXPECT_EQ(Get(a).counters.denials, 5u);
  // Without the channel permission the open is denied even though the endpoint is declared.
  const uint32_t d =
      Add({ChannelEnd(1, "c1", 2, engine::Direction::kOut)}, ServiceBit(Service::kEndpoint));
  EXPECT_EQ(Call(d, HostFunction::kOpen, {1, kWrite}), engine::kGuestNotPermitted);
}

TEST_F(ChannelsTest, AWriterCannotReachAReaderThatNamedSomeoneElse) {
  // c1 reads endpoint 2 from c0's endpoint 1; c2 claims the same peer but is not c0.
  const uint32_t a = Add({ChannelEnd(1, "c1", 2, engine::Direction::kOut)});
  const uint32_t b = Add({ChannelEnd(2, "c0", 1, engine::Direction::kIn)});
  const uint32_t rogue = Add({ChannelEnd(1, "c1", 2, engine::Direction::kOut)});
  const int64_t w = Call(rogue, HostFunction::kOpen, {1, kWrite});
  ASSERT_GE(w, 0);
  EXPECT_EQ(Call(rogue, HostFunction::kWrite, {uint64_t(w), 0, 1}), 1);
  EXPECT_EQ(channels_.Pending("c1", 2, "c2", 1), 1u);  // queued where nobody reads
  const int64_t r = Call(b, HostFunction::kOpen, {2, kRead});
  ASSERT_GE(r, 0);
  EXPECT_EQ(channels_.Pending("c1", 2, "c0", 1), 0u);
  // The reader's channel is empty: its read blocks rather than returning the rogue's byte.
  EXPECT_EQ(CallReply(b, HostFunction::kRead, {uint64_t(r), 100, 8}).action,
            runtime::HostAction::kBlock);
  (void)a;
}

TEST_F(ChannelsTest, SelfChannelsSlotExhaustionAndDevicesGetSpecificCodes) {
  const uint32_t self = Add({ChannelEnd(1, "c0", 1, engine::Direction::kBoth)});
  EXPECT_EQ(Call(self, HostFunction::kOpen, {1, kWrite}), engine::kGuestInvalidArgument);

  engine::Endpoint device = engine::testing::LocalEndpoint(3, engine::Direction::kIn);
  const uint32_t sensor = Add({device}, ServiceBit(Service::kEndpoint));
  EXPECT_EQ(Call(sensor, HostFunction::kOpen, {3, kRead}), engine::kGuestUnknownService);

  const uint32_t many = Add({ChannelEnd(1, "p1", 1, engine::Direction::kOut),
                             ChannelEnd(2, "p2", 1, engine::Direction::kOut),
                             ChannelEnd(3, "p3", 1, engine::Direction::kOut),
                             ChannelEnd(4, "p4", 1, engine::Direction::kOut),
                             ChannelEnd(5, "p5", 1, engine::Direction::kOut)});
  for (uint64_t e = 1; e <= kChannelCount; ++e) {
    const int64_t h = Call(many, HostFunction::kOpen, {e, kWrite});
    EXPECT_GE(h, 0);
    if (h >= 0) EXPECT_EQ(Call(many, HostFunction::kClose, {uint64_t(h)}), 0);
  }
  EXPECT_EQ(Call(many, HostFunction::kOpen, {kChannelCount + 1, kWrite}), kGuestNoChannel);
  // Reopening an existing channel still works when all slots are taken.
  EXPECT_GE(Call(many, HostFunction::kOpen, {1, kWrite}), 0);
}

}  // namespace
}  // namespace tc::services
