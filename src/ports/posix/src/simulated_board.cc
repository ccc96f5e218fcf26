// SimulatedBoard: tokens are (device class << 16 | position in the board file's list), so a
// token names its device without any per-open state.
#include "tc/port/posix/simulated_board.h"

#include <nlohmann/json.hpp>

#include "tc/engine/policy.h"

namespace tc::port::posix {
namespace {

using image::DeviceClass;

constexpr uint32_t Token(DeviceClass cls, size_t position) {
  return (static_cast<uint32_t>(cls) << 16) | static_cast<uint32_t>(position);
}
// Tokens of no class fall through every switch below as unknown.
constexpr DeviceClass ClassOf(uint32_t token) {
  return (token >> 16) < image::kDeviceClassCount ? static_cast<DeviceClass>(token >> 16)
                                                  : static_cast<DeviceClass>(0xFF);
}
constexpr size_t PositionOf(uint32_t token) { return token & 0xFFFF; }

template <typename List, typename Key>
std::optional<size_t> Find(const List& list, Key key) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (key(list[i])) return i;
  }
  return std::nullopt;
}

// TMP102 temperature register: 12-bit two's complement, 0.0625 degrees per step, left-justified.
uint16_t Tmp102Temperature(int32_t milli_degrees) {
  int64_t steps = static_cast<int64_t>(milli_degrees) * 16;
  steps = steps >= 0 ? steps / 1000 : -((-steps + 999) / 1000);  // floor
  if (steps > 2047) steps = 2047;
  if (steps < -2048) steps = -2048;
  return static_cast<uint16_t>((static_cast<uint16_t>(steps) & 0x0FFF) << 4);
}

constexpr uint16_t kTmp102ConfigReset = 0x60A0;
constexpr uint16_t kTmp102LowReset = 0x4B00;   // 75 degrees
constexpr uint16_t kTmp102HighReset = 0x5000;  // 80 degrees
constexpr uint8_t kTmp102Registers = 4;

}  // namespace

SimulatedBoard::SimulatedBoard(BoardConfig config, Clock now_us)
    : config_(std::move(config)), now_us_(std::move(now_us)) {
  for (const LedConfig& led : config_.leds) leds_.push_back({led.on, 0});
  for (const GpioConfig& pin : config_.gpio) gpio_.push_back({pin.level, 0});
  sensors_.resize(config_.sensors.size());
  for (const I2cConfig& dev : config_.i2c) {
    I2cState s;
    s.registers = dev.registers;
    s.tmp102[1] = kTmp102ConfigReset;
    s.tmp102[2] = kTmp102LowReset;
    s.tmp102[3] = kTmp102HighReset;
    i2c_.push_back(s);
  }
  spi_.resize(config_.spi.size());
  for (const UartConfig& dev : config_.uart) {
    UartState s;
    s.rx.assign(dev.rx.begin(), dev.rx.end());
    uart_.push_back(s);
  }
}

Result<uint32_t> SimulatedBoard::Open(DeviceClass cls, uint32_t address, uint8_t access) {
  const bool writes = (access & engine::kAccessWrite) != 0;
  std::optional<size_t> at;
  switch (cls) {
    case DeviceClass::kLed:
      at = Find(config_.leds, [&](const LedConfig& d) { return d.index == address; });
      break;
    case DeviceClass::kGpio:
      at = Find(config_.gpio, [&](const GpioConfig& d) { return d.pin == address; });
      if (at && writes && config_.gpio[*at].input) {
        return Status(ErrorCode::kUnsupported, "an input pin cannot be written");
      }
      break;
    case DeviceClass::kSensor:
      at = Find(config_.sensors, [&](const SensorConfig& d) { return d.index == address; });
      if (at && writes) return Status(ErrorCode::kUnsupported, "a sensor cannot be written");
      break;
    case DeviceClass::kI2c:
      at = Find(config_.i2c, [&](const I2cConfig& d) { return d.address == address; });
      break;
    case DeviceClass::kSpi:
      at = Find(config_.spi, [&](const SpiConfig& d) { return d.chip_select == address; });
      break;
    case DeviceClass::kUart:
      at = Find(config_.uart, [&](const UartConfig& d) { return d.port == address; });
      break;
  }
  if (!at) return Status(ErrorCode::kNotFound, "the board has no such device");
  if (*at > 0xFFFF) return Status(ErrorCode::kResourceExhausted, "device list too long");
  return Token(cls, *at);
}

Result<size_t> SimulatedBoard::Read(uint32_t token, std::span<uint8_t> out) {
  std::lock_guard<std::mutex> lock(mutex_);
  return ReadLocked(token, out);
}

Result<size_t> SimulatedBoard::Write(uint32_t token, std::span<const uint8_t> in) {
  std::lock_guard<std::mutex> lock(mutex_);
  return WriteLocked(token, in);
}

void SimulatedBoard::Close(uint32_t) {}

Result<size_t> SimulatedBoard::ReadLocked(uint32_t token, std::span<uint8_t> out) {
  const size_t i = PositionOf(token);
  switch (ClassOf(token)) {
    case DeviceClass::kLed:
      if (i >= leds_.size()) break;
      if (out.empty()) return Status(ErrorCode::kInvalidArgument, "led read needs 1 byte");
      out[0] = leds_[i].on ? 1 : 0;
      return size_t{1};
    case DeviceClass::kGpio: {
      if (i >= gpio_.size()) break;
      if (out.empty()) return Status(ErrorCode::kInvalidArgument, "gpio read needs 1 byte");
      const GpioConfig& pin = config_.gpio[i];
      out[0] = (pin.input ? pin.waveform.At(now_us_()) != 0 : gpio_[i].level) ? 1 : 0;
      return size_t{1};
    }
    case DeviceClass::kSensor: {
      if (i >= sensors_.size()) break;
      if (out.size() < 4) return Status(ErrorCode::kInvalidArgument, "sensor read needs 4 bytes");
      SensorState& s = sensors_[i];
      s.last = config_.sensors[i].waveform.At(now_us_());
      s.sampled = true;
      ++s.samples;
      const auto v = static_cast<uint32_t>(s.last);
      for (int b = 0; b < 4; ++b) out[b] = static_cast<uint8_t>(v >> (8 * b));
      return size_t{4};
    }
    case DeviceClass::kI2c:
      if (i >= i2c_.size()) break;
      return ReadI2c(i, out);
    case DeviceClass::kSpi: {
      if (i >= spi_.size()) break;
      const std::vector<uint8_t>& in = spi_[i].last_in;
      const size_t n = out.size() < in.size() ? out.size() : in.size();
      for (size_t b = 0; b < n; ++b) out[b] = in[b];
      return n;
    }
    case DeviceClass::kUart: {
      if (i >= uart_.size()) break;
      std::deque<uint8_t>& rx = uart_[i].rx;
      size_t n = 0;
      while (n < out.size() && !rx.empty()) {
        out[n++] = rx.front();
        rx.pop_front();
      }
      return n;
    }
  }
  return Status(ErrorCode::kNotFound, "unknown device token");
}

Result<size_t> SimulatedBoard::WriteLocked(uint32_t token, std::span<const uint8_t> in) {
  const size_t i = PositionOf(token);
  switch (ClassOf(token)) {
    case DeviceClass::kLed: {
      if (i >= leds_.size()) break;
      if (in.size() != 1) return Status(ErrorCode::kInvalidArgument, "led write takes 1 byte");
      const bool on = in[0] != 0;
      if (on != leds_[i].on) ++leds_[i].toggles;
      leds_[i].on = on;
      return size_t{1};
    }
    case DeviceClass::kGpio: {
      if (i >= gpio_.size()) break;
      if (config_.gpio[i].input) {
        return Status(ErrorCode::kUnsupported, "an input pin cannot be written");
      }
      if (in.size() != 1 || in[0] > 1) {
        return Status(ErrorCode::kInvalidArgument, "gpio write takes 1 byte, 0 or 1");
      }
      const bool level = in[0] != 0;
      if (level != gpio_[i].level) ++gpio_[i].toggles;
      gpio_[i].level = level;
      return size_t{1};
    }
    case DeviceClass::kSensor:
      if (i >= sensors_.size()) break;
      return Status(ErrorCode::kUnsupported, "a sensor cannot be written");
    case DeviceClass::kI2c:
      if (i >= i2c_.size()) break;
      return WriteI2c(i, in);
    case DeviceClass::kSpi: {
      if (i >= spi_.size()) break;
      // Loopback: what is clocked in while sending is what was sent.
      spi_[i].last_in.assign(in.begin(), in.end());
      spi_[i].bytes += in.size();
      return in.size();
    }
    case DeviceClass::kUart: {
      if (i >= uart_.size()) break;
      UartState& u = uart_[i];
      u.tx.append(reinterpret_cast<const char*>(in.data()), in.size());
      if (u.tx.size() > kUartTxKept) u.tx.erase(0, u.tx.size() - kUartTxKept);
      u.tx_bytes += in.size();
      if (config_.uart[i].loopback) {
        const size_t room = u.rx.size() >= kUartRxLimit ? 0 : kUartRxLimit - u.rx.size();
        const size_t n = in.size() < room ? in.size() : room;
        u.rx.insert(u.rx.end(), in.begin(), in.begin() + static_cast<std::ptrdiff_t>(n));
      }
      return in.size();
    }
  }
  return Status(ErrorCode::kNotFound, "unknown device token");
}

uint16_t SimulatedBoard::Tmp102Register(size_t i, uint8_t reg) const {
  if (reg == 0) return Tmp102Temperature(config_.i2c[i].temperature.At(now_us_()));
  return i2c_[i].tmp102[reg];
}

Result<size_t> SimulatedBoard::ReadI2c(size_t i, std::span<uint8_t> out) {
  I2cState& s = i2c_[i];
  ++s.reads;
  if (config_.i2c[i].model == I2cModel::kRegisters) {
    const size_t count = s.registers.size();
    for (size_t b = 0; b < out.size(); ++b) out[b] = s.registers[(s.pointer + b) % count];
    return out.size();
  }
  // 16-bit registers, most significant byte first; the pointer wraps over the four registers.
  for (size_t b = 0; b < out.size(); ++b) {
    const auto reg = static_cast<uint8_t>((s.pointer + b / 2) % kTmp102Registers);
    const uint16_t value = Tmp102Register(i, reg);
    out[b] = static_cast<uint8_t>(b % 2 == 0 ? value >> 8 : value & 0xFF);
  }
  return out.size();
}

Result<size_t> SimulatedBoard::WriteI2c(size_t i, std::span<const uint8_t> in) {
  I2cState& s = i2c_[i];
  if (in.empty()) {
    return Status(ErrorCode::kInvalidArgument, "i2c write needs the register byte first");
  }
  const uint8_t reg = in[0];
  const std::span<const uint8_t> data = in.subspan(1);
  if (config_.i2c[i].model == I2cModel::kRegisters) {
    if (reg >= s.registers.size()) {
      return Status(ErrorCode::kOutOfRange, "register beyond the device's register file");
    }
    for (size_t b = 0; b < data.size(); ++b) {
      s.registers[(reg + b) % s.registers.size()] = data[b];
    }
  } else {
    if (reg >= kTmp102Registers) return Status(ErrorCode::kOutOfRange, "tmp102 has 4 registers");
    if (data.size() % 2 != 0) {
      return Status(ErrorCode::kInvalidArgument, "tmp102 registers take 2 bytes each");
    }
    for (size_t b = 0; b < data.size(); b += 2) {
      if ((reg + b / 2) % kTmp102Registers == 0) {
        return Status(ErrorCode::kUnsupported, "the temperature register is read-only");
      }
    }
    for (size_t b = 0; b < data.size(); b += 2) {
      s.tmp102[(reg + b / 2) % kTmp102Registers] =
          static_cast<uint16_t>((data[b] << 8) | data[b + 1]);
    }
  }
  s.pointer = reg;
  ++s.writes;
  return in.size();
}

Status SimulatedBoard::InjectUart(uint32_t port, std::string_view bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto at = Find(config_.uart, [&](const UartConfig& d) { return d.port == port; });
  if (!at) return Status(ErrorCode::kNotFound, "the board has no such uart port");
  std::deque<uint8_t>& rx = uart_[*at].rx;
  if (rx.size() + bytes.size() > kUartRxLimit) {
    return Status(ErrorCode::kResourceExhausted, "uart receive buffer full");
  }
  rx.insert(rx.end(), bytes.begin(), bytes.end());
  return Status::Ok();
}

BoardSnapshot SimulatedBoard::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  BoardSnapshot snap;
  snap.board = config_.name;
  snap.time_us = now_us_();
  for (size_t i = 0; i < leds_.size(); ++i) {
    const LedConfig& c = config_.leds[i];
    snap.leds.push_back({c.index, c.name, leds_[i].on, leds_[i].toggles});
  }
  for (size_t i = 0; i < gpio_.size(); ++i) {
    const GpioConfig& c = config_.gpio[i];
    const bool level = c.input ? c.waveform.At(snap.time_us) != 0 : gpio_[i].level;
    snap.gpio.push_back({c.pin, c.name, c.input, level, gpio_[i].toggles});
  }
  for (size_t i = 0; i < sensors_.size(); ++i) {
    const SensorConfig& c = config_.sensors[i];
    const SensorState& s = sensors_[i];
    snap.sensors.push_back({c.index, c.name, c.unit, s.sampled, s.last, s.samples});
  }
  for (size_t i = 0; i < i2c_.size(); ++i) {
    const I2cConfig& c = config_.i2c[i];
    const char* model = c.model == I2cModel::kTmp102 ? "tmp102" : "registers";
    snap.i2c.push_back({c.address, c.name, model, i2c_[i].pointer, i2c_[i].reads, i2c_[i].writes});
  }
  for (size_t i = 0; i < spi_.size(); ++i) {
    snap.spi.push_back({config_.spi[i].chip_select, config_.spi[i].name, spi_[i].bytes});
  }
  for (size_t i = 0; i < uart_.size(); ++i) {
    const UartState& u = uart_[i];
    snap.uart.push_back({config_.uart[i].port, config_.uart[i].name, u.tx, u.tx_bytes,
                         static_cast<uint64_t>(u.rx.size())});
  }
  return snap;
}

std::string SnapshotJson(const BoardSnapshot& snap) {
  using nlohmann::json;
  json root = {{"board", snap.board}, {"time_us", snap.time_us}};
  json leds = json::array();
  for (const auto& d : snap.leds) {
    leds.push_back({{"index", d.index}, {"name", d.name}, {"on", d.on}, {"toggles", d.toggles}});
  }
  json gpio = json::array();
  for (const auto& d : snap.gpio) {
    gpio.push_back({{"pin", d.pin},
                    {"name", d.name},
                    {"input", d.input},
                    {"level", d.level ? 1 : 0},
                    {"toggles", d.toggles}});
  }
  json sensors = json::array();
  for (const auto& d : snap.sensors) {
    sensors.push_back({{"index", d.index},
                       {"name", d.name},
                       {"unit", d.unit},
                       {"sampled", d.sampled},
                       {"value", d.last_value},
                       {"samples", d.samples}});
  }
  json i2c = json::array();
  for (const auto& d : snap.i2c) {
    i2c.push_back({{"address", d.address},
                   {"name", d.name},
                   {"model", d.model},
                   {"pointer", d.pointer},
                   {"reads", d.reads},
                   {"writes", d.writes}});
  }
  json spi = json::array();
  for (const auto& d : snap.spi) {
    spi.push_back({{"chip_select", d.chip_select}, {"name", d.name}, {"bytes", d.bytes}});
  }
  json uart = json::array();
  for (const auto& d : snap.uart) {
    uart.push_back({{"port", d.port},
                    {"name", d.name},
                    {"tx", d.tx},
                    {"tx_bytes", d.tx_bytes},
                    {"rx_pending", d.rx_pending}});
  }
  root["leds"] = leds;
  root["gpio"] = gpio;
  root["sensors"] = sensors;
  root["i2c"] = i2c;
  root["spi"] = spi;
  root["uart"] = uart;
  // Sent bytes and names need not be UTF-8: replace what is not, so the document stays valid.
  return root.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace tc::port::posix
