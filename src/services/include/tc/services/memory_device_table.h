// A DeviceTable in RAM: up to kMemoryDevices devices, each with the behaviour devices.h gives its
// class and nothing behind it. Deterministic (a sensor returns first, first+step, ...), so tests
// and boards without real peripherals can use it; Find() shows each device's state.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tc/services/devices.h"

namespace tc::services {

inline constexpr size_t kMemoryDevices = 8;

class MemoryDeviceTable final : public DeviceTable {
 public:
  static constexpr size_t kRegisters = 16;  // i2c: byte registers, auto-increment wraps
  static constexpr size_t kBufferBytes = 32;

  struct Device {
    bool present = false;
    image::DeviceClass cls = image::DeviceClass::kGpio;
    uint32_t address = 0;
    uint8_t state = 0;     // led, gpio
    uint32_t toggles = 0;  // led, gpio: state changes
    int32_t next = 0;      // sensor: the next sample
    int32_t step = 0;      // sensor: added after each sample
    uint32_t samples = 0;  // sensor
    uint8_t pointer = 0;   // i2c register pointer
    uint8_t registers[kRegisters] = {};
    uint8_t buffer[kBufferBytes] = {};  // spi: last bytes clocked in; uart: bytes received
    uint8_t buffered = 0;
    uint32_t opens = 0;
    uint32_t closes = 0;
    bool fail = false;  // every read and write fails with kUnavailable (a bus fault)
  };

  // Adds a device; kAlreadyExists for a second (class, address), kResourceExhausted when full.
  Status Add(image::DeviceClass cls, uint32_t address);
  // The device, or null.
  Device* Find(image::DeviceClass cls, uint32_t address);

  Result<uint32_t> Open(image::DeviceClass cls, uint32_t address, uint8_t access) override;
  Result<size_t> Read(uint32_t token, std::span<uint8_t> out) override;
  Result<size_t> Write(uint32_t token, std::span<const uint8_t> in) override;
  void Close(uint32_t token) override;

 private:
  Device* ByToken(uint32_t token);

  Device devices_[kMemoryDevices];
};

}  // namespace tc::services
