// Local devices behind endpoints whose peer is a device (PeerKind::kLocal): the port's
// DeviceTable, and the guest-visible data format of each device class (docs/services.md,
// "Devices"). The endpoint router (endpoints.h) opens a device when a container opens such an
// endpoint and passes its reads and writes through unchanged; the table never sees guest memory
// outside the span the gate already checked.
//
// Data formats (what one read/write call carries):
//   led    (address = LED index)   write 1 byte: 0 off, non-zero on; read 1 byte: current state
//   gpio   (address = pin)         write 1 byte: level (0/1); read 1 byte: level
//   sensor (address = index)       read 4 bytes: little-endian int32 sample in milli-units; each
//                                  read takes a new sample
//   i2c    (address = 7-bit addr)  write [register, data...]: sets the register pointer, then
//                                  writes data (auto-increment); read n bytes from the pointer
//                                  (auto-increment)
//   spi    (address = chip select) write sends bytes; read returns the bytes clocked in during
//                                  the last write
//   uart   (address = port)        write sends bytes; read returns received bytes without
//                                  blocking (0 when none)
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/result.h"
#include "tc/image/metadata.h"

namespace tc::services {

// Largest token a table may hand out: the router keeps the top bit to tag device handles.
inline constexpr uint32_t kMaxDeviceToken = 0x7FFFFFFF;

// Guest codes of device operations. The table reports Status codes; DeviceGuestCode maps them.
enum DeviceError : int32_t {
  kGuestDeviceIo = -5,             // EIO: the device or its bus failed (I2C address NACK, ...)
  kGuestNoDevice = -19,            // ENODEV: the board has no such device (class + address)
  kGuestDeviceBadData = -22,       // EINVAL: the data does not fit the class's format
  kGuestDeviceNotSupported = -95,  // EOPNOTSUPP: the device cannot do this (write a sensor)
};

// The port's devices. Single-threaded like the engine: called from inside host calls.
class DeviceTable {
 public:
  // Opens the device `cls` at `address` for `access` (engine::kAccessRead/kAccessWrite bits).
  // Returns the table's own token (at most kMaxDeviceToken) for the calls below. kNotFound when
  // the board has no such device; kUnsupported when the device cannot be used with `access`.
  virtual Result<uint32_t> Open(image::DeviceClass cls, uint32_t address, uint8_t access) = 0;
  // One read in the class's format into `out`; returns the bytes written to `out`.
  // kInvalidArgument when `out` is too small for the format; kUnavailable on a device failure.
  virtual Result<size_t> Read(uint32_t token, std::span<uint8_t> out) = 0;
  // One write in the class's format; returns the bytes consumed. kInvalidArgument when `in` does
  // not fit the format, kUnsupported when the device takes no writes.
  virtual Result<size_t> Write(uint32_t token, std::span<const uint8_t> in) = 0;
  // The handle is gone (closed by the guest, or by the engine on stop or revocation).
  virtual void Close(uint32_t token) = 0;

 protected:
  ~DeviceTable() = default;
};

// The negative guest code for a DeviceTable error.
constexpr int32_t DeviceGuestCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNotFound: return kGuestNoDevice;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kOutOfRange: return kGuestDeviceBadData;
    case ErrorCode::kUnsupported: return kGuestDeviceNotSupported;
    default: return kGuestDeviceIo;
  }
}

}  // namespace tc::services
