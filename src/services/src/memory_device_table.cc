// MemoryDeviceTable: the token is the device's slot, so it needs no per-open state.
#include "tc/services/memory_device_table.h"

#include "tc/engine/policy.h"

namespace tc::services {

using image::DeviceClass;

Status MemoryDeviceTable::Add(DeviceClass cls, uint32_t address) {
  if (Find(cls, address) != nullptr) {
    return Status(ErrorCode::kAlreadyExists, "device class and address already in the table");
  }
  for (Device& d : devices_) {
    if (d.present) continue;
    d = Device{};
    d.present = true;
    d.cls = cls;
    d.address = address;
    return Status::Ok();
  }
  return Status(ErrorCode::kResourceExhausted, "device table full");
}

MemoryDeviceTable::Device* MemoryDeviceTable::Find(DeviceClass cls, uint32_t address) {
  for (Device& d : devices_) {
    if (d.present && d.cls == cls && d.address == address) return &d;
  }
  return nullptr;
}

MemoryDeviceTable::Device* MemoryDeviceTable::ByToken(uint32_t token) {
  return token < kMemoryDevices && devices_[token].present ? &devices_[token] : nullptr;
}

Result<uint32_t> MemoryDeviceTable::Open(DeviceClass cls, uint32_t address, uint8_t access) {
  Device* d = Find(cls, address);
  if (d == nullptr) return Status(ErrorCode::kNotFound, "no such device");
  if (cls == DeviceClass::kSensor && (access & engine::kAccessWrite) != 0) {
    return Status(ErrorCode::kUnsupported, "a sensor cannot be written");
  }
  ++d->opens;
  return static_cast<uint32_t>(d - devices_);
}

Result<size_t> MemoryDeviceTable::Read(uint32_t token, std::span<uint8_t> out) {
  Device* d = ByToken(token);
  if (d == nullptr) return Status(ErrorCode::kNotFound, "unknown device token");
  if (d->fail) return Status(ErrorCode::kUnavailable, "device failure");
  switch (d->cls) {
    case DeviceClass::kLed:
    case DeviceClass::kGpio:
      if (out.empty()) return Status(ErrorCode::kInvalidArgument, "read needs 1 byte");
      out[0] = d->state;
      return size_t{1};
    case DeviceClass::kSensor: {
      if (out.size() < 4) return Status(ErrorCode::kInvalidArgument, "sensor read needs 4 bytes");
      const auto v = static_cast<uint32_t>(d->next);
      for (size_t b = 0; b < 4; ++b) out[b] = static_cast<uint8_t>(v >> (8 * b));
      d->next = static_cast<int32_t>(v + static_cast<uint32_t>(d->step));
      ++d->samples;
      return size_t{4};
    }
    case DeviceClass::kI2c:
      for (size_t b = 0; b < out.size(); ++b) out[b] = d->registers[(d->pointer + b) % kRegisters];
      return out.size();
    case DeviceClass::kSpi: {
      const size_t n = out.size() < d->buffered ? out.size() : d->buffered;
      for (size_t b = 0; b < n; ++b) out[b] = d->buffer[b];
      return n;
    }
    case DeviceClass::kUart: {
      const size_t n = out.size() < d->buffered ? out.size() : d->buffered;
      for (size_t b = 0; b < n; ++b) out[b] = d->buffer[b];
      for (size_t b = n; b < d->buffered; ++b) d->buffer[b - n] = d->buffer[b];
      d->buffered = static_cast<uint8_t>(d->buffered - n);
      return n;
    }
  }
  return Status(ErrorCode::kNotFound, "unknown device class");
}

Result<size_t> MemoryDeviceTable::Write(uint32_t token, std::span<const uint8_t> in) {
  Device* d = ByToken(token);
  if (d == nullptr) return Status(ErrorCode::kNotFound, "unknown device token");
  if (d->fail) return Status(ErrorCode::kUnavailable, "device failure");
  switch (d->cls) {
    case DeviceClass::kLed:
    case DeviceClass::kGpio: {
      if (in.size() != 1) return Status(ErrorCode::kInvalidArgument, "write takes 1 byte");
      const uint8_t state = in[0] != 0 ? 1 : 0;
      if (state != d->state) ++d->toggles;
      d->state = state;
      return size_t{1};
    }
    case DeviceClass::kSensor: return Status(ErrorCode::kUnsupported, "a sensor cannot be written");
    case DeviceClass::kI2c:
      if (in.empty()) return Status(ErrorCode::kInvalidArgument, "i2c write needs a register");
      if (in[0] >= kRegisters) return Status(ErrorCode::kOutOfRange, "no such register");
      d->pointer = in[0];
      for (size_t b = 1; b < in.size(); ++b)
        d->registers[(d->pointer + b - 1) % kRegisters] = in[b];
      return in.size();
    case DeviceClass::kSpi:
      if (in.size() > kBufferBytes)
        return Status(ErrorCode::kInvalidArgument, "spi write too long");
      // Loopback: the bytes clocked in are the bytes sent.
      for (size_t b = 0; b < in.size(); ++b) d->buffer[b] = in[b];
      d->buffered = static_cast<uint8_t>(in.size());
      return in.size();
    case DeviceClass::kUart: {
      // Loopback: sent bytes are received; what does not fit is not sent.
      const size_t room = kBufferBytes - d->buffered;
      const size_t n = in.size() < room ? in.size() : room;
      for (size_t b = 0; b < n; ++b) d->buffer[d->buffered + b] = in[b];
      d->buffered = static_cast<uint8_t>(d->buffered + n);
      return n;
    }
  }
  return Status(ErrorCode::kNotFound, "unknown device class");
}

void MemoryDeviceTable::Close(uint32_t token) {
  Device* d = ByToken(token);
  if (d != nullptr) ++d->closes;
}

}  // namespace tc::services
