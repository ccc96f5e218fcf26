// The native device's simulated peripherals: a services::DeviceTable built from a board file
// (board_file.h). Sensors and the TMP102 model sample deterministic waveforms at the port clock's
// time; LEDs and GPIO outputs keep their state and count toggles. Snapshot() shows it all so the
// management API (GET /devices) and tests can see what containers did to the devices.
//
// Thread-safe: the engine thread calls the DeviceTable functions while another thread may take
// snapshots or inject UART input.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "tc/port/posix/board_file.h"
#include "tc/services/devices.h"

namespace tc::port::posix {

// The state of every device at one moment, in board-file order.
struct BoardSnapshot {
  struct Led {
    uint32_t index = 0;
    std::string name;
    bool on = false;
    uint64_t toggles = 0;  // state changes since start
  };
  struct Gpio {
    uint32_t pin = 0;
    std::string name;
    bool input = false;
    bool level = false;  // inputs: the level at the snapshot's time
    uint64_t toggles = 0;
  };
  struct Sensor {
    uint32_t index = 0;
    std::string name;
    std::string unit;
    bool sampled = false;  // false until the first read
    int32_t last_value = 0;
    uint64_t samples = 0;
  };
  struct I2c {
    uint32_t address = 0;
    std::string name;
    std::string model;  // "tmp102" or "registers"
    uint8_t pointer = 0;
    uint64_t reads = 0;
    uint64_t writes = 0;
  };
  struct Spi {
    uint32_t chip_select = 0;
    std::string name;
    uint64_t bytes = 0;  // clocked out
  };
  struct Uart {
    uint32_t port = 0;
    std::string name;
    std::string tx;  // the last kUartTxKept bytes sent
    uint64_t tx_bytes = 0;
    uint64_t rx_pending = 0;
  };

  std::string board;
  uint64_t time_us = 0;
  std::vector<Led> leds;
  std::vector<Gpio> gpio;
  std::vector<Sensor> sensors;
  std::vector<I2c> i2c;
  std::vector<Spi> spi;
  std::vector<Uart> uart;
};

// {"board":..., "time_us":..., "leds":[{"index","name","on","toggles"}], "gpio":[{"pin","name",
// "input","level","toggles"}], "sensors":[{"index","name","unit","sampled","value","samples"}],
// "i2c":[{"address","name","model","pointer","reads","writes"}], "spi":[{"chip_select","name",
// "bytes"}], "uart":[{"port","name","tx","tx_bytes","rx_pending"}]} (docs/board-file.md).
std::string SnapshotJson(const BoardSnapshot& snapshot);

class SimulatedBoard final : public services::DeviceTable {
 public:
  // Microseconds of the port clock (the engine's time).
  using Clock = std::function<uint64_t()>;
  static constexpr size_t kUartTxKept = 1024;
  static constexpr size_t kUartRxLimit = 4096;

  SimulatedBoard(BoardConfig config, Clock now_us);
  SimulatedBoard(const SimulatedBoard&) = delete;
  SimulatedBoard& operator=(const SimulatedBoard&) = delete;

  Result<uint32_t> Open(image::DeviceClass cls, uint32_t address, uint8_t access) override;
  Result<size_t> Read(uint32_t token, std::span<uint8_t> out) override;
  Result<size_t> Write(uint32_t token, std::span<const uint8_t> in) override;
  void Close(uint32_t token) override;

  BoardSnapshot Snapshot() const;
  std::string SnapshotJson() const { return posix::SnapshotJson(Snapshot()); }

  // Bytes the UART `port` receives (a console bridge, tests); kNotFound for an unknown port,
  // kResourceExhausted beyond kUartRxLimit pending bytes (nothing is queued then).
  Status InjectUart(uint32_t port, std::string_view bytes);

  const BoardConfig& config() const { return config_; }

 private:
  struct LedState {
    bool on = false;
    uint64_t toggles = 0;
  };
  struct GpioState {
    bool level = false;
    uint64_t toggles = 0;
  };
  struct SensorState {
    bool sampled = false;
    int32_t last = 0;
    uint64_t samples = 0;
  };
  struct I2cState {
    uint8_t pointer = 0;
    std::vector<uint8_t> registers;  // kRegisters
    uint16_t tmp102[4] = {};         // kTmp102: temperature (unused, sampled), config, low, high
    uint64_t reads = 0;
    uint64_t writes = 0;
  };
  struct SpiState {
    std::vector<uint8_t> last_in;
    uint64_t bytes = 0;
  };
  struct UartState {
    std::string tx;
    uint64_t tx_bytes = 0;
    std::deque<uint8_t> rx;
  };

  Result<size_t> ReadLocked(uint32_t token, std::span<uint8_t> out);
  Result<size_t> WriteLocked(uint32_t token, std::span<const uint8_t> in);
  Result<size_t> ReadI2c(size_t i, std::span<uint8_t> out);
  Result<size_t> WriteI2c(size_t i, std::span<const uint8_t> in);
  uint16_t Tmp102Register(size_t i, uint8_t reg) const;

  const BoardConfig config_;
  const Clock now_us_;
  mutable std::mutex mutex_;
  std::vector<LedState> leds_;
  std::vector<GpioState> gpio_;
  std::vector<SensorState> sensors_;
  std::vector<I2cState> i2c_;
  std::vector<SpiState> spi_;
  std::vector<UartState> uart_;
};

}  // namespace tc::port::posix
