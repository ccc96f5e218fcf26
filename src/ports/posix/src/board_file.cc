// Board-file parser: every field is checked for type, range and uniqueness; unknown keys are
// refused so a misspelt field never silently falls back to a default.
#include "tc/port/posix/board_file.h"

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <numbers>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace tc::port::posix {
namespace {

using nlohmann::json;

// Thrown inside the parser only; ParseBoardFile turns it into a BoardFileError.
struct Refusal {
  std::string field;
  std::string why;
};

std::string Path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}
std::string Path(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

void RequireObject(const json& value, const std::string& field,
                   std::initializer_list<const char*> allowed) {
  if (!value.is_object()) throw Refusal{field, "must be an object"};
  for (const auto& [key, unused] : value.items()) {
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (!known) throw Refusal{Path(field, key), "unknown field"};
  }
}

int64_t Integer(const json& object, const std::string& parent, const char* key, int64_t lo,
                int64_t hi, std::optional<int64_t> fallback) {
  const std::string field = Path(parent, key);
  if (!object.contains(key)) {
    if (fallback) return *fallback;
    throw Refusal{field, "is required"};
  }
  const json& v = object.at(key);
  if (!v.is_number_integer()) throw Refusal{field, "must be an integer"};
  const bool negative = v.is_number_unsigned() ? false : v.get<int64_t>() < 0;
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    throw Refusal{field, "out of range"};
  }
  const int64_t n = negative ? v.get<int64_t>() : static_cast<int64_t>(v.get<uint64_t>());
  if (n < lo || n > hi) {
    throw Refusal{field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi)};
  }
  return n;
}

std::string Text(const json& object, const std::string& parent, const char* key) {
  if (!object.contains(key)) return {};
  const json& v = object.at(key);
  if (!v.is_string()) throw Refusal{Path(parent, key), "must be a string"};
  return v.get<std::string>();
}

bool Flag(const json& object, const std::string& parent, const char* key, bool fallback) {
  if (!object.contains(key)) return fallback;
  const json& v = object.at(key);
  if (!v.is_boolean()) throw Refusal{Path(parent, key), "must be true or false"};
  return v.get<bool>();
}

constexpr int64_t kI32Min = INT32_MIN;
constexpr int64_t kI32Max = INT32_MAX;

// The waveform fields live in the device's own object: waveform, value, min, max, period_ms,
// phase_ms. Without "waveform" the signal is the constant `value` (default `fallback_value`).
Waveform ParseWaveform(const json& object, const std::string& parent, int32_t fallback_value) {
  Waveform w;
  const std::string kind = object.contains("waveform") ? Text(object, parent, "waveform") : "";
  const std::string field = Path(parent, "waveform");
  if (kind.empty() || kind == "constant") {
    if (object.contains("waveform") && kind.empty()) throw Refusal{field, "must not be empty"};
    w.kind = WaveformKind::kConstant;
    w.value =
        static_cast<int32_t>(Integer(object, parent, "value", kI32Min, kI32Max, fallback_value));
    for (const char* key : {"min", "max", "period_ms", "phase_ms"}) {
      if (object.contains(key)) throw Refusal{Path(parent, key), "only for sine, square, ramp"};
    }
    return w;
  }
  if (kind == "sine") {
    w.kind = WaveformKind::kSine;
  } else if (kind == "square") {
    w.kind = WaveformKind::kSquare;
  } else if (kind == "ramp") {
    w.kind = WaveformKind::kRamp;
  } else {
    throw Refusal{field, "unknown waveform \"" + kind + "\" (constant, sine, square, ramp)"};
  }
  if (object.contains("value")) throw Refusal{Path(parent, "value"), "only for constant"};
  w.min = static_cast<int32_t>(Integer(object, parent, "min", kI32Min, kI32Max, std::nullopt));
  w.max = static_cast<int32_t>(Integer(object, parent, "max", kI32Min, kI32Max, std::nullopt));
  if (w.min > w.max) throw Refusal{Path(parent, "min"), "must not be above max"};
  w.period_ms = static_cast<uint32_t>(
      Integer(object, parent, "period_ms", 1, 24LL * 3600 * 1000, std::nullopt));
  w.phase_ms = static_cast<uint32_t>(Integer(object, parent, "phase_ms", 0, w.period_ms - 1, 0));
  return w;
}

const json& List(const json& root, const char* key) {
  static const json kEmpty = json::array();
  if (!root.contains(key)) return kEmpty;
  const json& v = root.at(key);
  if (!v.is_array()) throw Refusal{key, "must be an array"};
  return v;
}

// Refuses a second device with the same address in one class.
void Unique(std::set<uint32_t>& seen, uint32_t value, const std::string& field) {
  if (!seen.insert(value).second) {
    throw Refusal{field, "duplicate " + std::to_string(value) + " in this device class"};
  }
}

BoardConfig ParseRoot(const json& root) {
  RequireObject(root, "", {"name", "leds", "gpio", "sensors", "i2c", "spi", "uart"});
  BoardConfig board;
  board.name = Text(root, "", "name");
  constexpr int64_t kU32Max = UINT32_MAX;

  std::set<uint32_t> seen;
  const json& leds = List(root, "leds");
  for (size_t i = 0; i < leds.size(); ++i) {
    const std::string at = Path("leds", i);
    RequireObject(leds[i], at, {"index", "name", "on"});
    LedConfig led;
    led.index = static_cast<uint32_t>(Integer(leds[i], at, "index", 0, kU32Max, std::nullopt));
    Unique(seen, led.index, Path(at, "index"));
    led.name = Text(leds[i], at, "name");
    led.on = Flag(leds[i], at, "on", false);
    board.leds.push_back(led);
  }

  seen.clear();
  const json& gpio = List(root, "gpio");
  for (size_t i = 0; i < gpio.size(); ++i) {
    const std::string at = Path("gpio", i);
    RequireObject(gpio[i], at,
                  {"pin", "name", "mode", "level", "waveform", "value", "min", "max", "period_ms",
                   "phase_ms"});
    GpioConfig pin;
    pin.pin = static_cast<uint32_t>(Integer(gpio[i], at, "pin", 0, kU32Max, std::nullopt));
    Unique(seen, pin.pin, Path(at, "pin"));
    pin.name = Text(gpio[i], at, "name");
    const std::string mode = gpio[i].contains("mode") ? Text(gpio[i], at, "mode") : "output";
    if (mode != "output" && mode != "input") {
      throw Refusal{Path(at, "mode"), "must be \"input\" or \"output\""};
    }
    pin.input = mode == "input";
    if (pin.input) {
      if (gpio[i].contains("level")) throw Refusal{Path(at, "level"), "only for output pins"};
      pin.waveform = ParseWaveform(gpio[i], at, 0);
    } else {
      for (const char* key : {"waveform", "value", "min", "max", "period_ms", "phase_ms"}) {
        if (gpio[i].contains(key)) throw Refusal{Path(at, key), "only for input pins"};
      }
      pin.level = Integer(gpio[i], at, "level", 0, 1, 0) != 0;
    }
    board.gpio.push_back(pin);
  }

  seen.clear();
  const json& sensors = List(root, "sensors");
  for (size_t i = 0; i < sensors.size(); ++i) {
    const std::string at = Path("sensors", i);
    RequireObject(
        sensors[i], at,
        {"index", "name", "unit", "waveform", "value", "min", "max", "period_ms", "phase_ms"});
    SensorConfig sensor;
    sensor.index =
        static_cast<uint32_t>(Integer(sensors[i], at, "index", 0, kU32Max, std::nullopt));
    Unique(seen, sensor.index, Path(at, "index"));
    sensor.name = Text(sensors[i], at, "name");
    sensor.unit = Text(sensors[i], at, "unit");
    sensor.waveform = ParseWaveform(sensors[i], at, 0);
    board.sensors.push_back(sensor);
  }

  seen.clear();
  const json& i2c = List(root, "i2c");
  for (size_t i = 0; i < i2c.size(); ++i) {
    const std::string at = Path("i2c", i);
    const json& d = i2c[i];
    if (!d.is_object()) throw Refusal{at, "must be an object"};
    const std::string model = d.contains("model") ? Text(d, at, "model") : "";
    I2cConfig dev;
    if (model == "tmp102") {
      RequireObject(
          d, at,
          {"address", "name", "model", "waveform", "value", "min", "max", "period_ms", "phase_ms"});
      dev.model = I2cModel::kTmp102;
      dev.temperature = ParseWaveform(d, at, 25000);
      constexpr int32_t kLowest = -55000;  // the TMP102's range in milli-degrees
      constexpr int32_t kHighest = 128000;
      const bool constant = dev.temperature.kind == WaveformKind::kConstant;
      const int32_t lo = constant ? dev.temperature.value : dev.temperature.min;
      const int32_t hi = constant ? dev.temperature.value : dev.temperature.max;
      if (lo < kLowest || hi > kHighest) {
        throw Refusal{Path(at, constant ? "value" : "min"),
                      "temperature must stay within -55000..128000 milli-degrees"};
      }
    } else if (model == "registers") {
      RequireObject(d, at, {"address", "name", "model", "registers"});
      dev.model = I2cModel::kRegisters;
      const std::string field = Path(at, "registers");
      if (!d.contains("registers")) throw Refusal{field, "is required"};
      const json& regs = d.at("registers");
      if (!regs.is_array() || regs.empty() || regs.size() > 256) {
        throw Refusal{field, "must be an array of 1..256 byte values"};
      }
      for (size_t r = 0; r < regs.size(); ++r) {
        if (!regs[r].is_number_integer() || regs[r].get<int64_t>() < 0 ||
            regs[r].get<int64_t>() > 255) {
          throw Refusal{Path(field, r), "must be an integer between 0 and 255"};
        }
        dev.registers.push_back(static_cast<uint8_t>(regs[r].get<int64_t>()));
      }
    } else {
      throw Refusal{Path(at, "model"), model.empty()
                                           ? "is required (tmp102, registers)"
                                           : "unknown model \"" + model + "\" (tmp102, registers)"};
    }
    // 0x00..0x07 and 0x78..0x7F are reserved I2C addresses.
    dev.address = static_cast<uint32_t>(Integer(d, at, "address", 0x08, 0x77, std::nullopt));
    Unique(seen, dev.address, Path(at, "address"));
    dev.name = Text(d, at, "name");
    board.i2c.push_back(dev);
  }

  seen.clear();
  const json& spi = List(root, "spi");
  for (size_t i = 0; i < spi.size(); ++i) {
    const std::string at = Path("spi", i);
    RequireObject(spi[i], at, {"chip_select", "name"});
    SpiConfig dev;
    dev.chip_select =
        static_cast<uint32_t>(Integer(spi[i], at, "chip_select", 0, kU32Max, std::nullopt));
    Unique(seen, dev.chip_select, Path(at, "chip_select"));
    dev.name = Text(spi[i], at, "name");
    board.spi.push_back(dev);
  }

  seen.clear();
  const json& uart = List(root, "uart");
  for (size_t i = 0; i < uart.size(); ++i) {
    const std::string at = Path("uart", i);
    RequireObject(uart[i], at, {"port", "name", "rx", "loopback"});
    UartConfig dev;
    dev.port = static_cast<uint32_t>(Integer(uart[i], at, "port", 0, kU32Max, std::nullopt));
    Unique(seen, dev.port, Path(at, "port"));
    dev.name = Text(uart[i], at, "name");
    dev.rx = Text(uart[i], at, "rx");
    if (dev.rx.size() > 4096) throw Refusal{Path(at, "rx"), "longer than 4096 bytes"};
    dev.loopback = Flag(uart[i], at, "loopback", false);
    board.uart.push_back(dev);
  }
  return board;
}

}  // namespace

int32_t Waveform::At(uint64_t time_us) const {
  if (kind == WaveformKind::kConstant) return value;
  const uint64_t period_us = static_cast<uint64_t>(period_ms) * 1000;
  const uint64_t t = (time_us + static_cast<uint64_t>(phase_ms) * 1000) % period_us;
  const int64_t span = static_cast<int64_t>(max) - min;
  switch (kind) {
    case WaveformKind::kSquare: return t < period_us / 2 ? max : min;
    case WaveformKind::kRamp:
      return static_cast<int32_t>(min +
                                  span * static_cast<int64_t>(t) / static_cast<int64_t>(period_us));
    case WaveformKind::kSine: {
      const double angle =
          2.0 * std::numbers::pi * static_cast<double>(t) / static_cast<double>(period_us);
      const double mid = (static_cast<double>(min) + static_cast<double>(max)) / 2.0;
      const int64_t v = std::llround(mid + static_cast<double>(span) / 2.0 * std::sin(angle));
      return static_cast<int32_t>(v < min ? min : (v > max ? max : v));
    }
    case WaveformKind::kConstant: break;
  }
  return value;
}

std::string BoardFileError::ToString() const {
  std::string s = file;
  if (!field.empty()) s += ": " + field;
  return s + ": " + why;
}

BoardFileResult ParseBoardFile(std::string_view json_text, std::string_view file) {
  BoardFileResult result;
  result.error.file = std::string(file);
  json root;
  try {
    root = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    result.error.why = "not valid JSON at byte " + std::to_string(e.byte);
    return result;
  }
  try {
    result.config = ParseRoot(root);
  } catch (const Refusal& r) {
    result.error.field = r.field;
    result.error.why = r.why;
  }
  return result;
}

BoardFileResult LoadBoardFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    BoardFileResult result;
    result.error = {path, "", "cannot be opened"};
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseBoardFile(text.str(), path);
}

}  // namespace tc::port::posix
