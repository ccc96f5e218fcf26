// Mps2Devices: the token is the LED index; the FPGAIO LED0 register holds one bit per LED.
#include "tc/port/mps2_devices.h"

namespace tc::port {
namespace {

volatile uint32_t& LedRegister() {
  return *reinterpret_cast<volatile uint32_t*>(Mps2Devices::kFpgaioLed0);
}

}  // namespace

Result<uint32_t> Mps2Devices::Open(image::DeviceClass cls, uint32_t address, uint8_t) {
  if (cls != image::DeviceClass::kLed || address >= kLedCount) {
    return Status(ErrorCode::kNotFound, "MPS2 has LEDs 0 and 1 only");
  }
  return address;
}

Result<size_t> Mps2Devices::Read(uint32_t token, std::span<uint8_t> out) {
  if (token >= kLedCount) return Status(ErrorCode::kNotFound, "unknown device token");
  if (out.empty()) return Status(ErrorCode::kInvalidArgument, "led read needs 1 byte");
  out[0] = static_cast<uint8_t>((LedRegister() >> token) & 1);
  return size_t{1};
}

Result<size_t> Mps2Devices::Write(uint32_t token, std::span<const uint8_t> in) {
  if (token >= kLedCount) return Status(ErrorCode::kNotFound, "unknown device token");
  if (in.size() != 1) return Status(ErrorCode::kInvalidArgument, "led write takes 1 byte");
  const uint32_t bit = uint32_t{1} << token;
  const uint32_t value = LedRegister();
  LedRegister() = in[0] != 0 ? (value | bit) : (value & ~bit);
  return size_t{1};
}

}  // namespace tc::port
