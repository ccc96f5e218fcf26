// The SAUL helpers through the real gate: which declared endpoints a container finds (by position
// and by type), phydat_t reads and writes, and every way a hostile reference or buffer is refused
// — undeclared, wrong direction, outside memory, revoked — with a denial, never a device access.
#include <cstring>

#include "endpoint_builders.h"
#include "engine_fixture.h"
#include "tc/services/memory_device_table.h"
#include "tc/services/saul.h"
#include "tinycontainer.h"

namespace tc::services {
namespace {

using engine::EndpointRef;
using engine::testing::EngineFixture;
using engine::testing::FakeProgram;
using engine::testing::FakeStep;
using image::DeviceClass;
using image::Service;
using image::ServiceBit;
using testing::ChannelEnd;
using testing::DeviceEnd;

static_assert(TC_BPF_HELPER_SAUL_FIND_NTH == kBpfHelperSaulFindNth &&
                  TC_BPF_HELPER_SAUL_FIND_TYPE == kBpfHelperSaulFindType &&
                  TC_BPF_HELPER_SAUL_READ == kBpfHelperSaulRead &&
                  TC_BPF_HELPER_SAUL_WRITE == kBpfHelperSaulWrite,
              "SDK and services agree on the SAUL helper numbers");
static_assert(TC_SAUL_ACT_ANY == kSaulActAny && TC_SAUL_ACT_SWITCH == kSaulActSwitch &&
                  TC_SAUL_SENSE_ANY == kSaulSenseAny && TC_SAUL_SENSE_BTN == kSaulSenseBtn &&
                  TC_SAUL_UNIT_UNDEF == kUnitUndefined && TC_SAUL_UNIT_NONE == kUnitNone,
              "SDK and services agree on the SAUL classes and units");
static_assert(sizeof(tc_phydat) == kPhydatSize, "phydat_t is 8 bytes");

constexpr engine::Direction kIn = engine::Direction::kIn;
constexpr engine::Direction kOut = engine::Direction::kOut;
constexpr engine::Direction kBoth = engine::Direction::kBoth;
constexpr image::ServiceMask kDevicesAndChannels =
    ServiceBit(Service::kEndpoint) | ServiceBit(Service::kChannel);

struct Phydat {
  int16_t val[3];
  uint8_t unit;
  int8_t scale;
};

class SaulTest : public EngineFixture {
 protected:
  SaulTest() {
    EXPECT_TRUE(saul_.Register(engine_).ok());
    for (DeviceClass cls :
         {DeviceClass::kLed, DeviceClass::kGpio, DeviceClass::kSensor, DeviceClass::kI2c}) {
      EXPECT_TRUE(devices_.Add(cls, 0).ok());
    }
    program_.Export(runtime::Entry::kStart, {FakeStep::Return(0)});
  }

  uint32_t Add(std::initializer_list<engine::Endpoint> endpoints,
               image::ServiceMask services = kDevicesAndChannels) {
    return Install(program_, {}, Permit(endpoints, services));
  }
  static engine::Permissions Permit(std::initializer_list<engine::Endpoint> endpoints,
                                    image::ServiceMask services = kDevicesAndChannels) {
    engine::Permissions p;
    p.services = services;
    for (const engine::Endpoint& e : endpoints) EXPECT_TRUE(p.endpoints.push_back(e).ok());
    return p;
  }
  int64_t Call(uint32_t id, uint16_t service, std::initializer_list<uint64_t> args) {
    return CallService(id, service, args, memory_).value;
  }
  int64_t Read(uint32_t id, uint64_t ref, Phydat& out, uint64_t address = 64) {
    const int64_t r = Call(id, kSaulRead, {ref, address});
    std::memcpy(&out, memory_ + address, sizeof out);  // little-endian host
    return r;
  }
  int64_t Write(uint32_t id, uint64_t ref, int16_t value) {
    const Phydat p{{value, 0, 0}, kUnitNone, 0};
    std::memcpy(memory_ + 64, &p, sizeof p);
    return Call(id, kSaulWrite, {ref, 64});
  }
  const engine::AuditEntry& LastAudit() const {
    return engine_.audit_log()[engine_.audit_log().size() - 1];
  }

  MemoryDeviceTable devices_;
  SaulHelpers saul_{&devices_};
  FakeProgram program_;
  uint8_t memory_[128] = {};
};

TEST_F(SaulTest, FindNthWalksTheDeclaredSaulDevicesInDeclarationOrder) {
  const uint32_t id = Add(
      {DeviceEnd(1, DeviceClass::kI2c, 0, kBoth),  // not a SAUL device
       DeviceEnd(7, DeviceClass::kSensor, 0, kIn), ChannelEnd(3, "peer", 1, kOut),  // not a device
       DeviceEnd(0, DeviceClass::kLed, 0, kOut), DeviceEnd(5, DeviceClass::kGpio, 0, kIn)});
  EXPECT_EQ(Call(id, kSaulFindNth, {0}), EndpointRef(7));
  EXPECT_EQ(Call(id, kSaulFindNth, {1}), EndpointRef(0));  // endpoint 0 is still non-zero
  EXPECT_EQ(Call(id, kSaulFindNth, {2}), EndpointRef(5));
  EXPECT_EQ(Call(id, kSaulFindNth, {3}), 0);
  EXPECT_EQ(Call(id, kSaulFindNth, {~uint64_t{0}}), 0);  // (int)-1 from the guest
  EXPECT_EQ(Get(id).counters.denials, 0u);
}

TEST_F(SaulTest, FindTypeMatchesClassesCategoriesAndAnySensingQuantity) {
  const uint32_t id =
      Add({DeviceEnd(1, DeviceClass::kGpio, 0, kIn), DeviceEnd(2, DeviceClass::kLed, 0, kOut),
           DeviceEnd(3, DeviceClass::kSensor, 0, kIn)});
  EXPECT_EQ(Call(id, kSaulFindType, {kSaulSenseBtn}), EndpointRef(1));
  EXPECT_EQ(Call(id, kSaulFindType, {kSaulSenseAny}), EndpointRef(1));  // the first sensing one
  EXPECT_EQ(Call(id, kSaulFindType, {TC_SAUL_SENSE_TEMP}), EndpointRef(3));
  EXPECT_EQ(Call(id, kSaulFindType, {kSaulActSwitch}), EndpointRef(2));
  EXPECT_EQ(Call(id, kSaulFindType, {kSaulActAny}), EndpointRef(2));
  EXPECT_EQ(Call(id, kSaulFindType, {0x43}), 0);   // a motor: none declared
  EXPECT_EQ(Call(id, kSaulFindType, {0x182}), 0);  // not a SAUL class at all
  const uint32_t leds_only = Add({DeviceEnd(2, DeviceClass::kLed, 0, kOut)});
  EXPECT_EQ(Call(leds_only, kSaulFindType, {TC_SAUL_SENSE_TEMP}), 0);
}

TEST_F(SaulTest, ASensorReadsAsPhydatInMilliUnitsRescaledToSixteenBits) {
  const uint32_t id = Add({DeviceEnd(3, DeviceClass::kSensor, 0, kIn)});
  MemoryDeviceTable::Device* sensor = devices_.Find(DeviceClass::kSensor, 0);
  sensor->next = 21500;
  sensor->step = -1'256'049 - 21500;
  Phydat p{};
  EXPECT_EQ(Read(id, EndpointRef(3), p), 1);  // one dimension, as saul_reg_read answers
  EXPECT_EQ(p.val[0], 21500);
  EXPECT_EQ(p.val[1], 0);
  EXPECT_EQ(p.unit, kUnitUndefined);
  EXPECT_EQ(p.scale, -3);
  EXPECT_EQ(Read(id, EndpointRef(3), p), 1);  // -1256049 m = -12560.49 (rounded) * 10^-1
  EXPECT_EQ(p.val[0], -12560);
  EXPECT_EQ(p.scale, -1);
  EXPECT_EQ(sensor->samples, 2u);
  EXPECT_EQ(sensor->opens, sensor->closes);  // nothing stays open between calls
}

TEST_F(SaulTest, AnLedIsWrittenAndReadAsAnOnOffState) {
  const uint32_t id = Add({DeviceEnd(2, DeviceClass::kLed, 0, kBoth)});
  EXPECT_EQ(Write(id, EndpointRef(2), 1), 1);
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->state, 1);
  Phydat p{};
  EXPECT_EQ(Read(id, EndpointRef(2), p), 1);
  EXPECT_EQ(p.val[0], 1);
  EXPECT_EQ(p.unit, kUnitNone);
  EXPECT_EQ(p.scale, 0);
  EXPECT_EQ(Write(id, EndpointRef(2), -300), 1);  // any non-zero value is "on"
  EXPECT_EQ(Write(id, EndpointRef(2), 0), 1);
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->state, 0);
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->toggles, 2u);
}

TEST_F(SaulTest, ForgedOrMisdirectedReferencesAreDeniedAndAudited) {
  const uint32_t id =
      Add({DeviceEnd(3, DeviceClass::kSensor, 0, kIn), DeviceEnd(2, DeviceClass::kLed, 0, kOut)});
  Phydat p{};
  struct Case {
    uint64_t ref;
    uint16_t service;
    int32_t code;
    engine::DenialReason reason;
  };
  const Case cases[] = {
      {3, kSaulRead, engine::kGuestNoEndpoint, engine::DenialReason::kEndpointNotDeclared},
      {0, kSaulRead, engine::kGuestNoEndpoint, engine::DenialReason::kEndpointNotDeclared},
      {EndpointRef(9), kSaulRead, engine::kGuestNoEndpoint,
       engine::DenialReason::kEndpointNotDeclared},
      {EndpointRef(3) | 0x10000, kSaulRead, engine::kGuestNoEndpoint,
       engine::DenialReason::kEndpointNotDeclared},
      {EndpointRef(2), kSaulRead, engine::kGuestDirectionDenied,
       engine::DenialReason::kDirectionNotAllowed},
      {EndpointRef(3), kSaulWrite, engine::kGuestDirectionDenied,
       engine::DenialReason::kDirectionNotAllowed},
  };
  uint32_t denials = 0;
  for (const Case& c : cases) {
    EXPECT_EQ(c.service == kSaulRead ? Read(id, c.ref, p) : Write(id, c.ref, 1), c.code) << c.ref;
    EXPECT_EQ(Get(id).counters.denials, ++denials);
    EXPECT_EQ(LastAudit().reason, c.reason);
    EXPECT_EQ(LastAudit().service, c.service);
  }
  // The phydat_t must lie wholly inside the caller's memory.
  EXPECT_EQ(Read(id, EndpointRef(3), p, sizeof memory_ - kPhydatSize + 1), engine::kGuestBadBuffer);
  EXPECT_EQ(LastAudit().reason, engine::DenialReason::kBufferOutOfBounds);
  EXPECT_EQ(Call(id, kSaulRead, {EndpointRef(3), ~uint64_t{0} - 3}), engine::kGuestBadBuffer);
  EXPECT_EQ(devices_.Find(DeviceClass::kSensor, 0)->opens, 0u);  // no denial touched a device
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->opens, 0u);
}

TEST_F(SaulTest, OnlyLocalSaulDevicesAnswerAndDeviceErrorsAreResults) {
  const uint32_t id =
      Add({ChannelEnd(1, "peer", 1, kBoth), DeviceEnd(2, DeviceClass::kI2c, 0, kBoth),
           DeviceEnd(3, DeviceClass::kLed, 9, kBoth), DeviceEnd(4, DeviceClass::kLed, 0, kBoth)});
  Phydat p{};
  EXPECT_EQ(Read(id, EndpointRef(1), p), kGuestNoDevice);
  EXPECT_EQ(Read(id, EndpointRef(2), p), kGuestDeviceNotSupported);
  EXPECT_EQ(Read(id, EndpointRef(3), p), kGuestNoDevice);  // declared, but not on this board
  devices_.Find(DeviceClass::kLed, 0)->fail = true;
  EXPECT_EQ(Read(id, EndpointRef(4), p), kGuestDeviceIo);
  EXPECT_EQ(Write(id, EndpointRef(4), 1), kGuestDeviceIo);
  EXPECT_EQ(Get(id).counters.denials, 0u);
}

TEST_F(SaulTest, TheEndpointPermissionGatesEveryHelper) {
  const uint32_t id =
      Add({DeviceEnd(2, DeviceClass::kLed, 0, kOut)}, ServiceBit(Service::kChannel));
  for (uint16_t service : {kSaulFindNth, kSaulFindType, kSaulRead, kSaulWrite}) {
    EXPECT_EQ(Call(id, service, {EndpointRef(2), 64}), engine::kGuestNotPermitted) << service;
  }
  EXPECT_EQ(Get(id).counters.denials, 4u);
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->opens, 0u);
}

TEST_F(SaulTest, ARevokedEndpointIsNeitherFoundNorUsable) {
  const uint32_t id =
      Add({DeviceEnd(2, DeviceClass::kLed, 0, kOut), DeviceEnd(3, DeviceClass::kSensor, 0, kIn)});
  const int64_t led = Call(id, kSaulFindNth, {0});
  ASSERT_EQ(led, EndpointRef(2));
  engine::ConfigUpdate update = Update(id, 1);
  update.has_permissions = true;
  update.permissions = Permit({DeviceEnd(3, DeviceClass::kSensor, 0, kIn)});
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  EXPECT_EQ(Write(id, static_cast<uint64_t>(led), 1), engine::kGuestNoEndpoint);
  EXPECT_EQ(Call(id, kSaulFindNth, {0}), EndpointRef(3));
  EXPECT_EQ(Call(id, kSaulFindType, {kSaulActAny}), 0);
  EXPECT_EQ(devices_.Find(DeviceClass::kLed, 0)->toggles, 0u);
}

TEST_F(SaulTest, WithoutADeviceTableReadsAreUnknownServices) {
  SaulHelpers no_devices(nullptr);
  ASSERT_TRUE(no_devices.Register(engine_).ok());  // replaces the fixture's registrations
  const uint32_t id = Add({DeviceEnd(2, DeviceClass::kLed, 0, kOut)});
  EXPECT_EQ(Call(id, kSaulFindNth, {0}), EndpointRef(2));
  EXPECT_EQ(Write(id, EndpointRef(2), 1), engine::kGuestUnknownService);
}

}  // namespace
}  // namespace tc::services
