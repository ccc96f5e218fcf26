// The board file of the native device (docs/board-file.md): a JSON description of the simulated
// LEDs, GPIO pins, sensors, I2C devices, SPI devices and UARTs a SimulatedBoard provides. Parsing
// checks every field; a bad file gives one error naming the file, the field and why.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tc::port::posix {

// A deterministic signal: its value is a function of the port clock only.
enum class WaveformKind : uint8_t { kConstant, kSine, kSquare, kRamp };

struct Waveform {
  WaveformKind kind = WaveformKind::kConstant;
  int32_t value = 0;  // kConstant
  int32_t min = 0;    // the others swing between min and max
  int32_t max = 0;
  uint32_t period_ms = 0;  // > 0 unless constant
  uint32_t phase_ms = 0;   // shifts the signal: value at t is the shape at t + phase

  // sine: (min+max)/2 at t = 0, rising to max at a quarter period; square: max for the first
  // half of each period, min for the second; ramp: min at the period start rising linearly
  // towards max.
  int32_t At(uint64_t time_us) const;
};

struct LedConfig {
  uint32_t index = 0;
  std::string name;
  bool on = false;  // initial state
};

struct GpioConfig {
  uint32_t pin = 0;
  std::string name;
  bool input = false;  // input pins follow `waveform` (level = value != 0) and refuse writes
  bool level = false;  // output pins: initial level
  Waveform waveform;
};

struct SensorConfig {
  uint32_t index = 0;
  std::string name;
  std::string unit;   // informational ("mC", "mV", ...)
  Waveform waveform;  // milli-units
};

enum class I2cModel : uint8_t {
  kTmp102,     // TMP102-like temperature sensor: four 16-bit registers (docs/board-file.md)
  kRegisters,  // a plain file of up to 256 8-bit registers with initial values
};

struct I2cConfig {
  uint32_t address = 0;  // 7-bit, 0x08..0x77
  std::string name;
  I2cModel model = I2cModel::kTmp102;
  Waveform temperature;            // kTmp102: milli-degrees Celsius
  std::vector<uint8_t> registers;  // kRegisters: initial values, 1..256 of them
};

struct SpiConfig {
  uint32_t chip_select = 0;
  std::string name;  // a loopback device: the bytes clocked in are the bytes sent
};

struct UartConfig {
  uint32_t port = 0;
  std::string name;
  std::string rx;         // bytes waiting to be received at start
  bool loopback = false;  // written bytes are also received
};

struct BoardConfig {
  std::string name;
  std::vector<LedConfig> leds;
  std::vector<GpioConfig> gpio;
  std::vector<SensorConfig> sensors;
  std::vector<I2cConfig> i2c;
  std::vector<SpiConfig> spi;
  std::vector<UartConfig> uart;
};

// Why a board file was refused: `field` is a JSON path such as "sensors[0].period_ms" (empty
// for the file as a whole).
struct BoardFileError {
  std::string file;
  std::string field;
  std::string why;
  std::string ToString() const;  // "FILE: FIELD: WHY"
};

struct BoardFileResult {
  std::optional<BoardConfig> config;
  BoardFileError error;  // meaningful when !ok()
  bool ok() const { return config.has_value(); }
};

// `file` names the source in errors.
BoardFileResult ParseBoardFile(std::string_view json_text, std::string_view file);
BoardFileResult LoadBoardFile(const std::string& path);

}  // namespace tc::port::posix
