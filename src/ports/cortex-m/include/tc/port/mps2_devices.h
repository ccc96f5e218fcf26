// The devices of QEMU's MPS2 boards (AN385/AN386/AN500) as a services::DeviceTable: the two user
// LEDs of the FPGA I/O block (FPGAIO LED0 register at 0x40028000, one bit per LED). Enough for a
// container to blink a real (emulated) LED; other classes answer kNotFound.
#pragma once

#include <cstdint>

#include "tc/services/devices.h"

namespace tc::port {

class Mps2Devices final : public services::DeviceTable {
 public:
  static constexpr uintptr_t kFpgaioLed0 = 0x40028000;
  static constexpr uint32_t kLedCount = 2;

  Result<uint32_t> Open(image::DeviceClass cls, uint32_t address, uint8_t access) override;
  Result<size_t> Read(uint32_t token, std::span<uint8_t> out) override;
  Result<size_t> Write(uint32_t token, std::span<const uint8_t> in) override;
  void Close(uint32_t) override {}
};

}  // namespace tc::port
