// SimulatedBoard: waveforms are functions of the clock only, every device class speaks the
// format of devices.h, the TMP102 model behaves like the part, and the snapshot shows it all.
#include "tc/port/posix/simulated_board.h"

#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "tc/engine/policy.h"

namespace tc::port::posix {
namespace {

using image::DeviceClass;
constexpr uint8_t kRead = engine::kAccessRead;
constexpr uint8_t kWrite = engine::kAccessWrite;
constexpr uint8_t kBoth = engine::kAccessReadWrite;

Waveform Wave(WaveformKind kind, int32_t min, int32_t max, uint32_t period_ms,
              uint32_t phase_ms = 0) {
  Waveform w;
  w.kind = kind;
  w.min = min;
  w.max = max;
  w.period_ms = period_ms;
  w.phase_ms = phase_ms;
  return w;
}

TEST(Waveform, ShapesAtKnownTimes) {
  const Waveform sine = Wave(WaveformKind::kSine, 20000, 30000, 10000);
  EXPECT_EQ(sine.At(0), 25000);
  EXPECT_EQ(sine.At(2'500'000), 30000);
  EXPECT_EQ(sine.At(5'000'000), 25000);
  EXPECT_EQ(sine.At(7'500'000), 20000);
  EXPECT_EQ(sine.At(10'000'000), 25000);  // periodic

  const Waveform square = Wave(WaveformKind::kSquare, 0, 1, 2000);
  EXPECT_EQ(square.At(0), 1);
  EXPECT_EQ(square.At(999'999), 1);
  EXPECT_EQ(square.At(1'000'000), 0);
  EXPECT_EQ(square.At(2'000'000), 1);

  const Waveform ramp = Wave(WaveformKind::kRamp, -100, 100, 1000);
  EXPECT_EQ(ramp.At(0), -100);
  EXPECT_EQ(ramp.At(500'000), 0);
  EXPECT_EQ(ramp.At(999'000), 99);
  EXPECT_EQ(ramp.At(1'000'000), -100);

  const Waveform shifted = Wave(WaveformKind::kRamp, -100, 100, 1000, 500);
  EXPECT_EQ(shifted.At(0), 0);

  Waveform constant;
  constant.value = -7;
  EXPECT_EQ(constant.At(123456789), -7);
}

TEST(Waveform, IsAFunctionOfTimeOnly) {
  const Waveform sine = Wave(WaveformKind::kSine, -5000, 90000, 7777, 123);
  for (uint64_t t = 0; t < 20'000'000; t += 333'331) {
    const int32_t v = sine.At(t);
    EXPECT_EQ(v, sine.At(t));
    EXPECT_EQ(v, sine.At(t + 7'777'000));
    EXPECT_GE(v, -5000);
    EXPECT_LE(v, 90000);
  }
}

class SimulatedBoardTest : public ::testing::Test {
 protected:
  SimulatedBoardTest() : board_(Config(), [this] { return now_us_; }) {}

  static BoardConfig Config() {
    BoardConfig b;
    b.name = "test";
    b.leds = {{0, "led0", false}, {1, "led1", true}};
    GpioConfig out;
    out.pin = 4;
    out.name = "relay";
    GpioConfig in;
    in.pin = 3;
    in.input = true;
    in.waveform = Wave(WaveformKind::kSquare, 0, 1, 2000);
    b.gpio = {out, in};
    SensorConfig temp;
    temp.index = 0;
    temp.name = "temp";
    temp.waveform = Wave(WaveformKind::kSine, 20000, 30000, 10000);
    b.sensors = {temp};
    I2cConfig tmp;
    tmp.address = 0x48;
    tmp.name = "tmp102";
    tmp.temperature.value = 25000;
    I2cConfig regs;
    regs.address = 0x50;
    regs.model = I2cModel::kRegisters;
    regs.registers = {10, 11, 12, 13};
    b.i2c = {tmp, regs};
    b.spi = {{2, "flash"}};
    UartConfig uart;
    uart.port = 0;
    uart.rx = "hi";
    b.uart = {uart};
    return b;
  }

  uint32_t Open(DeviceClass cls, uint32_t address, uint8_t access) {
    const Result<uint32_t> token = board_.Open(cls, address, access);
    EXPECT_TRUE(token.ok()) << token.status().message();
    EXPECT_LE(token.value_or(0), services::kMaxDeviceToken);
    return token.value_or(0);
  }
  int64_t Write(uint32_t token, std::initializer_list<uint8_t> bytes) {
    const std::vector<uint8_t> data(bytes);
    const Result<size_t> r = board_.Write(token, data);
    return r.ok() ? static_cast<int64_t>(*r) : services::DeviceGuestCode(r.status().code());
  }
  std::vector<uint8_t> Read(uint32_t token, size_t n) {
    std::vector<uint8_t> out(n);
    const Result<size_t> r = board_.Read(token, out);
    EXPECT_TRUE(r.ok()) << r.status().message();
    out.resize(r.value_or(0));
    return out;
  }

  uint64_t now_us_ = 0;
  SimulatedBoard board_;
};

TEST_F(SimulatedBoardTest, UnknownDevicesAndForbiddenAccessAreRefusedAtOpen) {
  EXPECT_EQ(board_.Open(DeviceClass::kLed, 9, kWrite).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(board_.Open(DeviceClass::kI2c, 0x49, kBoth).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(board_.Open(DeviceClass::kSensor, 0, kWrite).status().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(board_.Open(DeviceClass::kGpio, 3, kWrite).status().code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(board_.Open(DeviceClass::kGpio, 3, kRead).ok());
}

TEST_F(SimulatedBoardTest, LedsKeepStateAndCountToggles) {
  const uint32_t led0 = Open(DeviceClass::kLed, 0, kBoth);
  const uint32_t led1 = Open(DeviceClass::kLed, 1, kBoth);
  EXPECT_EQ(Read(led0, 1), std::vector<uint8_t>{0});
  EXPECT_EQ(Read(led1, 1), std::vector<uint8_t>{1});  // initially on
  EXPECT_EQ(Write(led0, {1}), 1);
  EXPECT_EQ(Write(led0, {7}), 1);  // still on: not a toggle
  EXPECT_EQ(Write(led0, {0}), 1);
  EXPECT_EQ(Write(led0, {1}), 1);
  EXPECT_EQ(Read(led0, 4), std::vector<uint8_t>{1});
  EXPECT_EQ(Write(led0, {}), services::kGuestDeviceBadData);
  EXPECT_EQ(Write(led0, {1, 0}), services::kGuestDeviceBadData);
  const BoardSnapshot s = board_.Snapshot();
  ASSERT_EQ(s.leds.size(), 2u);
  EXPECT_TRUE(s.leds[0].on);
  EXPECT_EQ(s.leds[0].toggles, 3u);
  EXPECT_EQ(s.leds[1].toggles, 0u);
}

TEST_F(SimulatedBoardTest, GpioOutputsHoldTheirLevelAndInputsFollowTheirWaveform) {
  const uint32_t relay = Open(DeviceClass::kGpio, 4, kBoth);
  EXPECT_EQ(Write(relay, {1}), 1);
  EXPECT_EQ(Read(relay, 1), std::vector<uint8_t>{1});
  EXPECT_EQ(Write(relay, {2}), services::kGuestDeviceBadData);
  const uint32_t button = Open(DeviceClass::kGpio, 3, kRead);
  EXPECT_EQ(Read(button, 1), std::vector<uint8_t>{1});
  now_us_ = 1'500'000;
  EXPECT_EQ(Read(button, 1), std::vector<uint8_t>{0});
  EXPECT_EQ(Write(button, {1}), services::kGuestDeviceNotSupported);
  const BoardSnapshot s = board_.Snapshot();
  EXPECT_EQ(s.gpio[0].toggles, 1u);
  EXPECT_TRUE(s.gpio[0].level);
  EXPECT_FALSE(s.gpio[1].level);
}

TEST_F(SimulatedBoardTest, SensorReadsAreLittleEndianSamplesAtTheClockTime) {
  const uint32_t temp = Open(DeviceClass::kSensor, 0, kRead);
  now_us_ = 2'500'000;
  const std::vector<uint8_t> bytes = Read(temp, 8);
  ASSERT_EQ(bytes.size(), 4u);
  int32_t value = 0;
  std::memcpy(&value, bytes.data(), 4);
  EXPECT_EQ(value, 30000);
  std::vector<uint8_t> small(3);
  EXPECT_EQ(board_.Read(temp, small).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Write(temp, {1}), services::kGuestDeviceNotSupported);
  now_us_ = 7'500'000;
  (void)Read(temp, 4);
  const BoardSnapshot s = board_.Snapshot();
  EXPECT_TRUE(s.sensors[0].sampled);
  EXPECT_EQ(s.sensors[0].last_value, 20000);
  EXPECT_EQ(s.sensors[0].samples, 2u);
}

TEST_F(SimulatedBoardTest, Tmp102ReadsTemperatureAndKeepsWritableRegisters) {
  const uint32_t tmp = Open(DeviceClass::kI2c, 0x48, kBoth);
  EXPECT_EQ(Write(tmp, {0x00}), 1);  // pointer to the temperature register
  // 25 degrees = 400 steps of 0.0625 = 0x190, left-justified: 0x1900.
  EXPECT_EQ(Read(tmp, 2), (std::vector<uint8_t>{0x19, 0x00}));
  EXPECT_EQ(Read(tmp, 2), (std::vector<uint8_t>{0x19, 0x00}));  // reads do not move the pointer
  // Auto-increment within one read: temperature, then configuration (reset 0x60A0).
  EXPECT_EQ(Read(tmp, 4), (std::vector<uint8_t>{0x19, 0x00, 0x60, 0xA0}));
  // T_HIGH = 0x5A00 (90 degrees), then read it back together with the wrap to temperature.
  EXPECT_EQ(Write(tmp, {0x03, 0x5A, 0x00}), 3);
  EXPECT_EQ(Read(tmp, 4), (std::vector<uint8_t>{0x5A, 0x00, 0x19, 0x00}));
  EXPECT_EQ(Write(tmp, {0x00, 0x12, 0x34}), services::kGuestDeviceNotSupported);
  EXPECT_EQ(Write(tmp, {0x03, 0x12, 0x34, 0x56, 0x78}), services::kGuestDeviceNotSupported);
  EXPECT_EQ(Write(tmp, {0x04}), services::kGuestDeviceBadData);
  EXPECT_EQ(Write(tmp, {0x02, 0x12}), services::kGuestDeviceBadData);
  EXPECT_EQ(Write(tmp, {}), services::kGuestDeviceBadData);
  const BoardSnapshot s = board_.Snapshot();
  EXPECT_EQ(s.i2c[0].model, "tmp102");
  EXPECT_EQ(s.i2c[0].pointer, 3);
  EXPECT_EQ(s.i2c[0].writes, 2u);
  EXPECT_EQ(s.i2c[0].reads, 4u);
}

TEST_F(SimulatedBoardTest, Tmp102EncodesNegativeAndClampedTemperatures) {
  BoardConfig b;
  I2cConfig cold;
  cold.address = 0x48;
  cold.temperature.value = -25000;  // -400 steps: 0xE70 << 4
  I2cConfig sub;
  sub.address = 0x49;
  sub.temperature.value = -1;  // rounds down to one step below zero
  b.i2c = {cold, sub};
  SimulatedBoard board(b, [] { return uint64_t{0}; });
  uint8_t out[2];
  const uint32_t t0 = *board.Open(DeviceClass::kI2c, 0x48, kRead);
  ASSERT_TRUE(board.Read(t0, out).ok());
  EXPECT_EQ(out[0], 0xE7);
  EXPECT_EQ(out[1], 0x00);
  const uint32_t t1 = *board.Open(DeviceClass::kI2c, 0x49, kRead);
  ASSERT_TRUE(board.Read(t1, out).ok());
  EXPECT_EQ(out[0], 0xFF);
  EXPECT_EQ(out[1], 0xF0);
}

TEST_F(SimulatedBoardTest, RegisterFileAutoIncrementsAndWraps) {
  const uint32_t regs = Open(DeviceClass::kI2c, 0x50, kBoth);
  EXPECT_EQ(Write(regs, {0x02}), 1);
  EXPECT_EQ(Read(regs, 3), (std::vector<uint8_t>{12, 13, 10}));
  EXPECT_EQ(Write(regs, {0x03, 99, 98}), 3);
  EXPECT_EQ(Write(regs, {0x00}), 1);
  EXPECT_EQ(Read(regs, 4), (std::vector<uint8_t>{98, 11, 12, 99}));
  EXPECT_EQ(Write(regs, {0x04, 1}), services::kGuestDeviceBadData);
}

TEST_F(SimulatedBoardTest, SpiReturnsWhatWasClockedInDuringTheLastWrite) {
  const uint32_t spi = Open(DeviceClass::kSpi, 2, kBoth);
  EXPECT_TRUE(Read(spi, 4).empty());
  EXPECT_EQ(Write(spi, {0x9F, 0, 0}), 3);
  EXPECT_EQ(Read(spi, 8), (std::vector<uint8_t>{0x9F, 0, 0}));
  EXPECT_EQ(Read(spi, 2), (std::vector<uint8_t>{0x9F, 0}));
  EXPECT_EQ(board_.Snapshot().spi[0].bytes, 3u);
}

TEST_F(SimulatedBoardTest, UartReceivesWithoutBlockingAndRecordsWhatWasSent) {
  const uint32_t uart = Open(DeviceClass::kUart, 0, kBoth);
  EXPECT_EQ(Read(uart, 8), (std::vector<uint8_t>{'h', 'i'}));
  EXPECT_TRUE(Read(uart, 8).empty());
  EXPECT_TRUE(board_.InjectUart(0, "ok").ok());
  EXPECT_EQ(board_.InjectUart(5, "x").code(), ErrorCode::kNotFound);
  EXPECT_EQ(board_.InjectUart(0, std::string(SimulatedBoard::kUartRxLimit, 'x')).code(),
            ErrorCode::kResourceExhausted);
  EXPECT_EQ(Read(uart, 1), std::vector<uint8_t>{'o'});
  EXPECT_EQ(Write(uart, {'a', 'b'}), 2);
  const BoardSnapshot s = board_.Snapshot();
  EXPECT_EQ(s.uart[0].tx, "ab");
  EXPECT_EQ(s.uart[0].tx_bytes, 2u);
  EXPECT_EQ(s.uart[0].rx_pending, 1u);
}

TEST_F(SimulatedBoardTest, LoopbackUartReceivesWhatItSends) {
  BoardConfig b;
  UartConfig u;
  u.port = 1;
  u.loopback = true;
  b.uart = {u};
  SimulatedBoard board(b, [] { return uint64_t{0}; });
  const uint32_t t = *board.Open(DeviceClass::kUart, 1, kBoth);
  const uint8_t sent[] = {'p', 'i', 'n', 'g'};
  EXPECT_EQ(*board.Write(t, sent), 4u);
  uint8_t got[8] = {};
  EXPECT_EQ(*board.Read(t, got), 4u);
  EXPECT_EQ(std::memcmp(got, sent, 4), 0);
}

TEST_F(SimulatedBoardTest, SnapshotJsonShowsEveryDevice) {
  const uint32_t led0 = Open(DeviceClass::kLed, 0, kWrite);
  EXPECT_EQ(Write(led0, {1}), 1);
  const uint32_t uart = Open(DeviceClass::kUart, 0, kWrite);
  EXPECT_EQ(Write(uart, {'o', 'k', 0xFF}), 3);  // not UTF-8: still a valid document
  now_us_ = 42;
  const auto j = nlohmann::json::parse(board_.SnapshotJson());
  EXPECT_EQ(j["board"], "test");
  EXPECT_EQ(j["time_us"], 42);
  EXPECT_EQ(j["leds"][0]["name"], "led0");
  EXPECT_EQ(j["leds"][0]["on"], true);
  EXPECT_EQ(j["leds"][0]["toggles"], 1);
  EXPECT_EQ(j["gpio"][1]["input"], true);
  EXPECT_EQ(j["sensors"][0]["sampled"], false);
  EXPECT_EQ(j["i2c"][1]["model"], "registers");
  EXPECT_EQ(j["spi"][0]["chip_select"], 2);
  EXPECT_EQ(j["uart"][0]["tx_bytes"], 3);
  EXPECT_EQ(j["uart"][0]["rx_pending"], 2);
}

TEST_F(SimulatedBoardTest, ForgedTokensAreRefused) {
  uint8_t out[4];
  EXPECT_EQ(board_.Read(0x00050009, out).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(board_.Write(0x7FFF0000, out).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(board_.Read(0x01000000, out).status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tc::port::posix
