// Bounds-checked reading of untrusted bytes: every read checks the remaining length first and
// a failed read leaves the position unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/result.h"

namespace tc {

class ByteReader {
 public:
  constexpr explicit ByteReader(std::span<const uint8_t> data) : data_(data) {}

  constexpr size_t position() const { return pos_; }
  constexpr size_t remaining() const { return data_.size() - pos_; }
  constexpr bool empty() const { return pos_ == data_.size(); }
  constexpr std::span<const uint8_t> data() const { return data_; }

  Result<uint8_t> ReadU8();
  Result<uint16_t> ReadU16Le();
  Result<uint32_t> ReadU32Le();
  Result<uint64_t> ReadU64Le();
  Result<uint16_t> ReadU16Be();
  Result<uint32_t> ReadU32Be();
  Result<uint64_t> ReadU64Be();
  // A view of the next `count` bytes (no copy).
  Result<std::span<const uint8_t>> ReadBytes(size_t count);
  Status Skip(size_t count);
  Result<uint8_t> PeekU8() const;

 private:
  template <typename T, bool kBigEndian>
  Result<T> ReadInt();

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace tc
