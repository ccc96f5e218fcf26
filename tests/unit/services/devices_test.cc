// Containers drive the simulated devices of examples/boards/native.json through one engine with
// the real wasm and eBPF runtimes (devices_wasm.c, devices_bpf.c): the board's snapshot shows an
// LED toggled once per activation, the thermostat following the sine sensor, the TMP102 read
// over I2C, a Femto-style SAUL thermostat, and a revoked LED permission stopping the blinking.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "endpoint_builders.h"
#include "runtimes_fixture.h"
#include "tc/port/posix/simulated_board.h"
#include "tc/services/endpoints.h"
#include "tc/services/saul.h"

namespace tc::services {
namespace {

using image::DeviceClass;
using image::Service;
using image::ServiceBit;
using port::posix::SimulatedBoard;
using testing::DeviceEnd;

std::vector<uint8_t> ReadModule(const char* name) {
  std::ifstream in(std::string(TC_SERVICES_TEST_MODULES) + "/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

port::posix::BoardConfig NativeBoard() {
  const port::posix::BoardFileResult r = port::posix::LoadBoardFile(TC_NATIVE_BOARD_FILE);
  EXPECT_TRUE(r.ok()) << r.error.ToString();
  return r.ok() ? *r.config : port::posix::BoardConfig{};
}

constexpr image::ServiceMask kDevices = ServiceBit(Service::kEndpoint) | ServiceBit(Service::kLog);

class DevicesThroughTheEngine : public testing::RuntimesFixture {
 protected:
  DevicesThroughTheEngine() : board_(NativeBoard(), [this] { return port_.NowUs(); }) {
    EXPECT_TRUE(endpoints_.Register(engine_).ok());
    EXPECT_TRUE(saul_.Register(engine_).ok());
  }

  image::ContainerMetadata Metadata(const char* uid, image::RuntimeKind kind, const char* loop,
                                    std::initializer_list<engine::Endpoint> endpoints) {
    image::ContainerMetadata m;
    EXPECT_TRUE(m.uid.Assign(uid).ok());
    m.runtime = kind;
    EXPECT_TRUE(m.entry.loop.Assign(loop).ok());
    m.quotas.memory_limit = kind == image::RuntimeKind::kWasm ? 65536 : 64;
    m.quotas.stack_bytes = kind == image::RuntimeKind::kWasm ? 4096 : 512;
    m.quotas.max_handles = 2;
    m.schedule.period_us = 1000;
    m.schedule.priority = 5;
    m.permissions.services = kDevices;
    for (const engine::Endpoint& e : endpoints) {
      EXPECT_TRUE(m.permissions.endpoints.push_back(e).ok());
    }
    return m;
  }

  SimulatedBoard board_;
  Endpoints endpoints_{&channels_, &board_};
  SaulHelpers saul_{&board_};
  const std::vector<uint8_t> wasm_module_ = ReadModule("devices.wasm");
};

TEST_F(DevicesThroughTheEngine, ABlinkingContainerTogglesTheLedOncePerActivation) {
  ASSERT_FALSE(wasm_module_.empty());
  const uint32_t id =
      InstallAndStart(Metadata("blink", image::RuntimeKind::kWasm, "blink",
                               {DeviceEnd(1, DeviceClass::kLed, 0, engine::Direction::kOut)}),
                      wasm_module_);
  RunUntil(10'000);
  EXPECT_EQ(Get(id).counters.activations, 10u);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  const port::posix::BoardSnapshot s = board_.Snapshot();
  EXPECT_EQ(s.leds[0].toggles, 10u);
  EXPECT_FALSE(s.leds[0].on);  // an even number of toggles
  EXPECT_EQ(s.leds[1].toggles, 0u);
  const auto json = nlohmann::json::parse(board_.SnapshotJson());
  EXPECT_EQ(json["leds"][0]["name"], "led0");
  EXPECT_EQ(json["leds"][0]["toggles"], 10);
}

TEST_F(DevicesThroughTheEngine, RevokingTheLedStopsTheBlinking) {
  const image::ContainerMetadata m =
      Metadata("blink", image::RuntimeKind::kWasm, "blink",
               {DeviceEnd(1, DeviceClass::kLed, 0, engine::Direction::kOut)});
  const uint32_t id = InstallAndStart(m, wasm_module_);
  RunUntil(4'000);
  engine::ConfigUpdate update;
  update.uid = m.uid;
  update.sequence = 1;
  update.has_permissions = true;
  update.permissions = m.permissions;
  update.permissions.endpoints.clear();
  ASSERT_TRUE(engine_.Configure(id, update).ok());
  RunUntil(10'000);
  // The next write found its handle closed (-9, a denial) and the container ended with it.
  EXPECT_EQ(Get(id).state, engine::State::kStopped);
  EXPECT_EQ(Get(id).exit_code, engine::kGuestBadHandle);
  EXPECT_EQ(Get(id).counters.denials, 1u);
  EXPECT_EQ(board_.Snapshot().leds[0].toggles, 4u);
}

TEST_F(DevicesThroughTheEngine, TheThermostatFollowsTheSineSensor) {
  const uint32_t id =
      InstallAndStart(Metadata("thermostat", image::RuntimeKind::kWasm, "thermostat",
                               {DeviceEnd(2, DeviceClass::kSensor, 0, engine::Direction::kIn),
                                DeviceEnd(3, DeviceClass::kLed, 1, engine::Direction::kOut)}),
                      wasm_module_);
  // The sensor's sine (20..30 degrees, 10 s) rises during its first half period.
  RunUntil(3'000);
  port::posix::BoardSnapshot s = board_.Snapshot();
  EXPECT_EQ(Get(id).counters.activations, 3u);
  EXPECT_EQ(s.sensors[0].samples, 3u);
  EXPECT_GT(s.sensors[0].last_value, 25000);
  EXPECT_LT(s.sensors[0].last_value, 25100);
  EXPECT_TRUE(s.leds[1].on);
  // In the second half it is below 25 degrees: the LED goes off.
  port_.AdvanceUs(7'500'000 - port_.NowUs());
  RunUntil(7'503'000);
  s = board_.Snapshot();
  EXPECT_LT(s.sensors[0].last_value, 20100);
  EXPECT_FALSE(s.leds[1].on);
  EXPECT_EQ(s.leds[1].toggles, 2u);  // off -> on -> off
}

TEST_F(DevicesThroughTheEngine, AContainerReadsTheTmp102OverI2c) {
  const uint32_t id =
      InstallAndStart(Metadata("thermo.i2c", image::RuntimeKind::kWasm, "tmp102",
                               {DeviceEnd(4, DeviceClass::kI2c, 0x48, engine::Direction::kBoth)}),
                      wasm_module_);
  RunUntil(1'000);
  // native.json's TMP102 ramps from 18 degrees; the register has 1/16 degree steps.
  ASSERT_EQ(sink_.lines.size(), 1u);
  EXPECT_EQ(sink_.lines[0], "thermo.i2c: tmp102 18000");
  EXPECT_EQ(Get(id).counters.denials, 0u);
  EXPECT_EQ(board_.Snapshot().i2c[0].reads, 1u);
}

TEST_F(DevicesThroughTheEngine, AnEbpfContainerDrivesTheRelayFromTheSensor) {
  const std::vector<uint8_t> object = ReadModule("devices_bpf.o");
  ASSERT_FALSE(object.empty());
  const uint32_t id =
      InstallAndStart(Metadata("relay", image::RuntimeKind::kEbpf, "run",
                               {DeviceEnd(1, DeviceClass::kSensor, 0, engine::Direction::kIn),
                                DeviceEnd(2, DeviceClass::kGpio, 4, engine::Direction::kOut)}),
                      object);
  RunUntil(2'000);
  EXPECT_EQ(Get(id).counters.activations, 2u);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  port::posix::BoardSnapshot s = board_.Snapshot();
  EXPECT_EQ(s.gpio[1].pin, 4u);
  EXPECT_TRUE(s.gpio[1].level);
  EXPECT_EQ(s.sensors[0].samples, 2u);
  // Handles were closed each activation: none is open now.
  for (const engine::Handle& h : Get(id).handles) EXPECT_FALSE(h.open);
}

TEST_F(DevicesThroughTheEngine, AFemtoStyleSaulContainerFollowsTheSineSensor) {
  const std::vector<uint8_t> object = ReadModule("devices_bpf.o");
  const uint32_t id =
      InstallAndStart(Metadata("saul", image::RuntimeKind::kEbpf, "saul_thermostat",
                               {DeviceEnd(2, DeviceClass::kSensor, 0, engine::Direction::kIn),
                                DeviceEnd(3, DeviceClass::kLed, 1, engine::Direction::kOut)}),
                      object);
  RunUntil(3'000);
  port::posix::BoardSnapshot s = board_.Snapshot();
  EXPECT_EQ(Get(id).counters.activations, 3u);
  EXPECT_EQ(Get(id).counters.denials, 0u);
  EXPECT_EQ(s.sensors[0].samples, 3u);
  EXPECT_TRUE(s.leds[1].on);
  port_.AdvanceUs(7'500'000 - port_.NowUs());
  RunUntil(7'503'000);
  s = board_.Snapshot();
  EXPECT_FALSE(s.leds[1].on);
  EXPECT_EQ(s.leds[1].toggles, 2u);
  EXPECT_EQ(Get(id).state, engine::State::kSleeping);  // until its next period
}

TEST_F(DevicesThroughTheEngine, ADeviceTheBoardLacksAnswersNoDevice) {
  const uint32_t id =
      InstallAndStart(Metadata("blink", image::RuntimeKind::kWasm, "blink",
                               {DeviceEnd(1, DeviceClass::kLed, 7, engine::Direction::kOut)}),
                      wasm_module_);
  RunUntil(1'000);
  EXPECT_EQ(Get(id).state, engine::State::kStopped);
  EXPECT_EQ(Get(id).exit_code, kGuestNoDevice);
  EXPECT_EQ(Get(id).counters.denials, 0u);  // a device result, not a gate denial
}

}  // namespace
}  // namespace tc::services
