// Bounds-checked writing into a caller-owned buffer; a write that does not fit writes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/status.h"

namespace tc {

class ByteWriter {
 public:
  constexpr explicit ByteWriter(std::span<uint8_t> buffer) : buffer_(buffer) {}

  constexpr size_t size() const { return pos_; }
  constexpr size_t remaining() const { return buffer_.size() - pos_; }
  constexpr std::span<const uint8_t> written() const { return buffer_.first(pos_); }

  Status WriteU8(uint8_t value);
  Status WriteU16Le(uint16_t value);
  Status WriteU32Le(uint32_t value);
  Status WriteU64Le(uint64_t value);
  Status WriteU16Be(uint16_t value);
  Status WriteU32Be(uint32_t value);
  Status WriteU64Be(uint64_t value);
  Status WriteBytes(std::span<const uint8_t> bytes);

 private:
  template <typename T, bool kBigEndian>
  Status WriteInt(T value);

  std::span<uint8_t> buffer_;
  size_t pos_ = 0;
};

}  // namespace tc
