// The endpoint router through the real gate: device and channel handles side by side, each
// device class's format and error codes, the permission of each peer kind, the handle quota,
// close, and what reconfiguration does to open handles — including a read blocked on a channel
// whose right is revoked, which must end with kGuestBadHandle.
#include <cstring>

#include "endpoint_builders.h"
#include "engine_fixture.h"
#include "tc/services/endpoints.h"
#include "tc/services/memory_device_table.h"
#include "tinycontainer.h"

namespace tc::services {
namespace {

using engine::HostFunction;
using engine::Number;
using engine::testing::EngineFixture;
using engine::testing::FakeProgram;
using engine::testing::FakeStep;
using image::DeviceClass;
using image::Service;
using image::ServiceBit;
using testing::ChannelEnd;
using testing::DeviceEnd;

constexpr uint64_t kRead = engine::kAccessRead;
constexpr uint64_t kWrite = engine::kAccessWrite;
constexpr uint64_t kBoth = engine::kAccessReadWrite;

static_assert(TC_BPF_HELPER_OPEN == kBpfHelperOpen && TC_BPF_HELPER_READ == kBpfHelperRead &&
                  TC_BPF_HELPER_WRITE == kBpfHelperWrite && TC_BPF_HELPER_CLOSE == kBpfHelperClose,
              "SDK and router agree on the eBPF helper numbers");
static_assert(TC_EDEVICE_IO == kGuestDeviceIo && TC_ENO_DEVICE == kGuestNoDevice &&
                  TC_EDEVICE_DATA == kGuestDeviceBadData &&
                  TC_EDEVICE_UNSUPPORTED == kGuestDeviceNotSupported,
              "SDK and router agree on the device error codes");

constexpr image::ServiceMask kBothKinds =
    ServiceBit(Service::kEndpoint) | ServiceBit(Service::kChannel);

class EndpointsTest : public EngineFixture {
 protected:
  EndpointsTest() {
    EXPECT_TRUE(endpoints_.Register(engine_).ok());
    for (DeviceClass cls : {DeviceClass::kLed, DeviceClass::kGpio, DeviceClass::kSensor,
                            DeviceClass::kI2c, DeviceClass::kSpi, DeviceClass::kUart}) {
      EXPECT_TRUE(devices_.Add(cls, 0).ok());
    }
    EXPECT_TRUE(devices_.Add(DeviceClass::kLed, 1).ok());
    program_.Export(runtime::Entry::kStart, {FakeStep::Return(0)});
  }

  static engine::Permissions Permit(std::initializer_list<engine::Endpoint> endpoints,
                                    image::ServiceMask services = kBothKinds) {
    engine::Permissions p;
    p.services = services;
    for (const engine::Endpoint& e : endpoints) EXPECT_TRUE(p.endpoints.push_back(e).ok());
    return p;
  }
  // Installs a container (uids c0, c1, ... in install order).
  uint32_t Add(std::initializer_list<engine::Endpoint> endpoints,
               image::ServiceMask services = kBothKinds, uint8_t max_handles = 4) {
    engine::Quotas q = DefaultQuotas();
    q.max_handles = max_handles;
    return Install(program_, {}, Permit(endpoints, services), q);
  }

  int64_t Call(uint32_t id, HostFunction f, std::initializer_list<uint64_t> args) {
    return CallService(id, Number(f), args, memory_).value;
  }
  int64_t WriteBytes(uint32_t id, int64_t handle, std::initializer_list<uint8_t> bytes) {
    size_t i = 0;
    for (uint8_t b : bytes) memory_[i++] = b;
    return Call(id, HostFunction::kWrite, {uint64_t(handle), 0, bytes.size()});
  }
  const engine::AuditEntry& LastAudit() const {
    return engine_.audit_log()[engine_.audit_log().size() - 1];
  }

  MemoryDeviceTable devices_;
  Channels channels_;
  Endpoints endpoints_{&channels_, &devices_};
  FakeProgram program_;
  uint8_t memory_[256] = {};
};

TEST_F(EndpointsTest, DeviceAndChannelHandlesLiveSideBySide) {
  const uint32_t a = Add({DeviceEnd(1, DeviceClass::kLed, 0, engine::Direction::kBoth),
                          ChannelEnd(2, "c1", 1, engine::Direction::kOut)});
  const uint32_t b = Add({ChannelEnd(1, "c0", 2, engine::Direction::kIn)});
  const int64_t led = Call(a, HostFunction::kOpen, {1, kBoth});
  const int64_t out = Call(a, HostFunction::kOpen, {2, kWrite});
  const int64_t in = Call(b, HostFunction::kOpen, {1, kRead});
  ASSERT_EQ(led, 0);
  ASSERT_EQ(out, 1);
  ASSERT_EQ(in, 0);
  EXPECT_NE(Get(a).handles[0].token & kDeviceTokenTag, 0u);  // the device's handle is tagged
  EXPECT_EQ(Get(a).handles[1].token & kDeviceTokenTag, 0u);

  EXPECT_EQ(WriteBytes(a, led, {1}), 1);
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->state, 1);
  EXPECT_EQ(WriteBytes(a, out, {'h', 'i'}), 2);
  EXPECT_EQ(channels_.Pending("c1", 1, "c0", 2), 1u);
  EXPECT_EQ(Call(a, HostFunction::kRead, {uint64_t(led), 50, 4}), 1);
  EXPECT_EQ(memory_[50], 1);
  EXPECT_EQ(Call(b, HostFunction::kRead, {uint64_t(in), 60, 4}), 2);
  EXPECT_EQ(std::memcmp(memory_ + 60, "hi", 2), 0);

  EXPECT_EQ(Call(a, HostFunction::kClose, {uint64_t(led)}), 0);
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->closes, 1u);
  EXPECT_EQ(Call(a, HostFunction::kRead, {uint64_t(led), 50, 4}), engine::kGuestBadHandle);
  EXPECT_EQ(WriteBytes(a, out, {'!'}), 1);  // the channel handle is untouched
}

TEST_F(EndpointsTest, EveryDeviceClassSpeaksItsFormat) {
  const uint32_t id = Add({DeviceEnd(1, DeviceClass::kSensor, 0, engine::Direction::kIn),
                           DeviceEnd(2, DeviceClass::kI2c, 0, engine::Direction::kBoth),
                           DeviceEnd(3, DeviceClass::kSpi, 0, engine::Direction::kBoth),
                           DeviceEnd(4, DeviceClass::kUart, 0, engine::Direction::kBoth)},
                          kBothKinds, 4);
  MemoryDeviceTable::Device* sensor = devices_.Find(DeviceClass::kSensor, 0);
  sensor->next = -1500;
  sensor->step = 1000;
  const int64_t s = Call(id, HostFunction::kOpen, {1, kRead});
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(s), 100, 8}), 4);
  int32_t value = 0;
  std::memcpy(&value, memory_ + 100, 4);  // little-endian host
  EXPECT_EQ(value, -1500);
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(s), 100, 4}), 4);
  std::memcpy(&value, memory_ + 100, 4);
  EXPECT_EQ(value, -500);  // each read is a new sample
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(s), 100, 3}), kGuestDeviceBadData);

  const int64_t i2c = Call(id, HostFunction::kOpen, {2, kBoth});
  EXPECT_EQ(WriteBytes(id, i2c, {4, 0xAA, 0xBB}), 3);  // register 4 <- AA, 5 <- BB
  EXPECT_EQ(WriteBytes(id, i2c, {4}), 1);
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(i2c), 100, 2}), 2);
  EXPECT_EQ(memory_[100], 0xAA);
  EXPECT_EQ(memory_[101], 0xBB);
  EXPECT_EQ(WriteBytes(id, i2c, {200}), kGuestDeviceBadData);

  const int64_t spi = Call(id, HostFunction::kOpen, {3, kBoth});
  EXPECT_EQ(WriteBytes(id, spi, {0x9F, 0x00}), 2);
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(spi), 100, 8}), 2);
  EXPECT_EQ(memory_[100], 0x9F);

  const int64_t uart = Call(id, HostFunction::kOpen, {4, kBoth});
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(uart), 100, 8}), 0);  // nothing: no blocking
  EXPECT_EQ(WriteBytes(id, uart, {'o', 'k'}), 2);
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(uart), 100, 8}), 2);
  EXPECT_EQ(Get(id).counters.denials, 0u);  // device errors are results, not denials
}

TEST_F(EndpointsTest, DeviceErrorsMapToSpecificCodes) {
  const uint32_t id = Add({DeviceEnd(1, DeviceClass::kLed, 9, engine::Direction::kOut),
                           DeviceEnd(2, DeviceClass::kSensor, 0, engine::Direction::kBoth),
                           DeviceEnd(3, DeviceClass::kLed, 0, engine::Direction::kBoth)});
  EXPECT_EQ(Call(id, HostFunction::kOpen, {1, kWrite}), kGuestNoDevice);
  EXPECT_EQ(Call(id, HostFunction::kOpen, {2, kBoth}), kGuestDeviceNotSupported);
  const int64_t led = Call(id, HostFunction::kOpen, {3, kBoth});
  EXPECT_EQ(WriteBytes(id, led, {1, 2}), kGuestDeviceBadData);
  devices_.Find(DeviceClass::kLed, 0)->fail = true;
  EXPECT_EQ(WriteBytes(id, led, {1}), kGuestDeviceIo);
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(led), 0, 1}), kGuestDeviceIo);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  // Failed opens took no handle: the quota still allows four.
  for (int i = 0; i < 3; ++i) EXPECT_GE(Call(id, HostFunction::kOpen, {3, kRead}), 0);
}

TEST_F(EndpointsTest, EachPeerKindNeedsItsOwnPermission) {
  const auto endpoints = {DeviceEnd(1, DeviceClass::kLed, 0, engine::Direction::kOut),
                          ChannelEnd(2, "c9", 1, engine::Direction::kOut)};
  const uint32_t channels_only = Add(endpoints, ServiceBit(Service::kChannel));
  EXPECT_EQ(Call(channels_only, HostFunction::kOpen, {1, kWrite}), engine::kGuestNotPermitted);
  EXPECT_EQ(LastAudit().reason, engine::DenialReason::kServiceNotPermitted);
  EXPECT_EQ(LastAudit().container, channels_only);
  EXPECT_EQ(LastAudit().service, Number(HostFunction::kOpen));
  EXPECT_GE(Call(channels_only, HostFunction::kOpen, {2, kWrite}), 0);

  const uint32_t devices_only = Add(endpoints, ServiceBit(Service::kEndpoint));
  EXPECT_EQ(Call(devices_only, HostFunction::kOpen, {2, kWrite}), engine::kGuestNotPermitted);
  EXPECT_EQ(LastAudit().container, devices_only);
  EXPECT_GE(Call(devices_only, HostFunction::kOpen, {1, kWrite}), 0);
  EXPECT_EQ(Get(channels_only).counters.denials, 1u);
  EXPECT_EQ(Get(devices_only).counters.denials, 1u);
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->opens, 1u);  // the denied open never got there
}

TEST_F(EndpointsTest, HandleQuotaCountsDevicesAndChannelsTogether) {
  const uint32_t id = Add({DeviceEnd(1, DeviceClass::kLed, 0, engine::Direction::kOut),
                           ChannelEnd(2, "c9", 1, engine::Direction::kOut)},
                          kBothKinds, 2);
  const int64_t led = Call(id, HostFunction::kOpen, {1, kWrite});
  EXPECT_GE(Call(id, HostFunction::kOpen, {2, kWrite}), 0);
  EXPECT_EQ(Call(id, HostFunction::kOpen, {1, kWrite}), engine::kGuestHandleQuota);
  EXPECT_EQ(LastAudit().reason, engine::DenialReason::kHandleQuota);
  EXPECT_EQ(Call(id, HostFunction::kClose, {uint64_t(led)}), 0);
  EXPECT_GE(Call(id, HostFunction::kOpen, {1, kWrite}), 0);
}

TEST_F(EndpointsTest, WithoutADeviceTableDeviceEndpointsAreUnknown) {
  Endpoints channels_only(&channels_, nullptr);
  ASSERT_TRUE(channels_only.Register(engine_).ok());  // replaces the router's four services
  const uint32_t id = Add({DeviceEnd(1, DeviceClass::kLed, 0, engine::Direction::kOut)});
  EXPECT_EQ(Call(id, HostFunction::kOpen, {1, kWrite}), engine::kGuestUnknownService);
}

// --- reconfiguration --------------------------------------------------------------------

class EndpointRevocation : public EndpointsTest {
 protected:
  engine::ConfigUpdate PermissionsUpdate(uint32_t id, const engine::Permissions& p) {
    engine::ConfigUpdate u = Update(id, ++sequence_);
    u.has_permissions = true;
    u.permissions = p;
    return u;
  }
  uint64_t sequence_ = 0;
};

TEST_F(EndpointRevocation, DeviceHandlesCloseWhenTheirRightGoesAndStayOtherwise) {
  const engine::Endpoint led0 = DeviceEnd(1, DeviceClass::kLed, 0, engine::Direction::kBoth);
  const engine::Endpoint led1 = DeviceEnd(1, DeviceClass::kLed, 1, engine::Direction::kBoth);
  const engine::Endpoint gpio = DeviceEnd(2, DeviceClass::kGpio, 0, engine::Direction::kOut);
  const uint32_t id = Add({led0, gpio});
  const int64_t h = Call(id, HostFunction::kOpen, {1, kBoth});
  ASSERT_GE(h, 0);
  MemoryDeviceTable::Device* led = devices_.Find(DeviceClass::kLed, 0);

  // Unrelated change (the gpio endpoint goes): the led handle survives.
  ASSERT_TRUE(engine_.Configure(id, PermissionsUpdate(id, Permit({led0}))).ok());
  EXPECT_EQ(led->closes, 0u);
  EXPECT_EQ(WriteBytes(id, h, {1}), 1);

  // The endpoint now names another LED: the old handle must not keep driving LED 0.
  ASSERT_TRUE(engine_.Configure(id, PermissionsUpdate(id, Permit({led1}))).ok());
  EXPECT_EQ(led->closes, 1u);
  EXPECT_EQ(WriteBytes(id, h, {0}), engine::kGuestBadHandle);
  EXPECT_EQ(led->state, 1);

  // Losing the `endpoint` bit closes device handles even though the endpoint stays declared.
  const int64_t h1 = Call(id, HostFunction::kOpen, {1, kBoth});
  ASSERT_GE(h1, 0);
  ASSERT_TRUE(
      engine_.Configure(id, PermissionsUpdate(id, Permit({led1}, ServiceBit(Service::kChannel))))
          .ok());
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 1)->closes, 1u);
  EXPECT_EQ(Call(id, HostFunction::kRead, {uint64_t(h1), 0, 1}), engine::kGuestBadHandle);
}

class BlockedReader : public EndpointRevocation {
 protected:
  BlockedReader() {
    // Opens its channel end and reads: blocks while the channel is empty.
    reader_.Export(
        runtime::Entry::kStart,
        {FakeStep::Call(Number(HostFunction::kOpen), {1, kRead}),
         FakeStep::Call(Number(HostFunction::kRead), {0, 100, 16}), FakeStep::Return(0)});
    reader_permissions_ = Permit({ChannelEnd(1, "c1", 1, engine::Direction::kIn)});
    id_ = InstallAndStart(reader_, {}, reader_permissions_);
    writer_ = Add({ChannelEnd(1, "c0", 1, engine::Direction::kOut)});
    RunUntil(1000);
  }

  FakeProgram reader_;
  engine::Permissions reader_permissions_;
  uint32_t id_ = 0;
  uint32_t writer_ = 0;
};

TEST_F(BlockedReader, RevokingTheEndpointEndsTheBlockedReadWithBadHandle) {
  ASSERT_EQ(Get(id_).state, engine::State::kBlocked);
  ASSERT_TRUE(engine_.Configure(id_, PermissionsUpdate(id_, Permit({}))).ok());
  EXPECT_EQ(Get(id_).state, engine::State::kReady);
  RunUntil(2000);
  EXPECT_EQ(Instance(id_).last_result(), engine::kGuestBadHandle);
  EXPECT_EQ(Get(id_).state, engine::State::kStopped);
  // A later message from the writer stays queued: nobody is waiting any more.
  const int64_t w = Call(writer_, HostFunction::kOpen, {1, kWrite});
  EXPECT_EQ(WriteBytes(writer_, w, {'x'}), 1);
  EXPECT_EQ(channels_.Pending("c0", 1, "c1", 1), 1u);
}

TEST_F(BlockedReader, RevokingTheChannelPermissionAlsoEndsIt) {
  ASSERT_TRUE(engine_
                  .Configure(id_, PermissionsUpdate(
                                      id_, Permit({ChannelEnd(1, "c1", 1, engine::Direction::kIn)},
                                                  ServiceBit(Service::kEndpoint))))
                  .ok());
  RunUntil(2000);
  EXPECT_EQ(Instance(id_).last_result(), engine::kGuestBadHandle);
}

TEST_F(BlockedReader, AnUpdateThatKeepsTheRightKeepsTheReaderWaiting) {
  engine::Permissions more = reader_permissions_;
  ASSERT_TRUE(
      more.endpoints.push_back(DeviceEnd(2, DeviceClass::kLed, 0, engine::Direction::kOut)).ok());
  ASSERT_TRUE(engine_.Configure(id_, PermissionsUpdate(id_, more)).ok());
  RunUntil(2000);
  EXPECT_EQ(Get(id_).state, engine::State::kBlocked);
  const int64_t w = Call(writer_, HostFunction::kOpen, {1, kWrite});
  EXPECT_EQ(WriteBytes(writer_, w, {'o', 'k'}), 2);
  RunUntil(3000);
  EXPECT_EQ(Instance(id_).last_result(), 2);  // the read got the message
  EXPECT_EQ(Get(id_).state, engine::State::kStopped);
}

}  // namespace
}  // namespace tc::services
