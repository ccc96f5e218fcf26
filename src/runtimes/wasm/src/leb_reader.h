// Reads the WebAssembly binary encoding (LEB128 integers, names, bytes) from untrusted input.
// Every failure is kMalformed with the offset of the offending byte (relative to the module).
#pragma once

#include <cstdint>
#include <cstring>

#include "tc/base/result.h"

namespace tc::wasm {

class LebReader {
 public:
  LebReader(const uint8_t* begin, const uint8_t* end, const uint8_t* module_start)
      : p_(begin), end_(end), origin_(module_start) {}

  uint32_t offset() const { return static_cast<uint32_t>(p_ - origin_); }
  bool empty() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const uint8_t* pointer() const { return p_; }
  const uint8_t* end() const { return end_; }

  Status Error(const char* message) const {
    return Status(ErrorCode::kMalformed, message, offset());
  }

  Result<uint8_t> U8() {
    if (p_ == end_) return Error("unexpected end");
    return *p_++;
  }
  Result<uint32_t> U32() { return Unsigned<uint32_t, 32>(); }
  Result<int32_t> S32() { return Signed<int32_t, 32>(); }
  Result<int64_t> S64() { return Signed<int64_t, 64>(); }
  Result<int64_t> S33() { return Signed<int64_t, 33>(); }
  Result<uint32_t> Fixed32() {
    if (remaining() < 4) return Error("unexpected end");
    uint32_t v;
    std::memcpy(&v, p_, 4);
    p_ += 4;
    return v;
  }
  Result<uint64_t> Fixed64() {
    if (remaining() < 8) return Error("unexpected end");
    uint64_t v;
    std::memcpy(&v, p_, 8);
    p_ += 8;
    return v;
  }
  Result<const uint8_t*> Bytes(uint32_t count) {
    if (remaining() < count) return Error("unexpected end: length out of bounds");
    const uint8_t* start = p_;
    p_ += count;
    return start;
  }

 private:
  template <typename T, unsigned kBits>
  Result<T> Unsigned() {
    T result = 0;
    unsigned shift = 0;
    for (;;) {
      if (p_ == end_) return Error("unexpected end: integer truncated");
      const uint8_t byte = *p_;
      if (shift + 7 >= kBits) {
        // Last possible byte: no continuation and no bits beyond the type's width.
        const unsigned used = kBits - shift;
        if (byte & 0x80) return Error("integer representation too long");
        if (byte >> used) return Error("integer too large");
        ++p_;
        return static_cast<T>(result | (static_cast<T>(byte) << shift));
      }
      ++p_;
      result |= static_cast<T>(byte & 0x7F) << shift;
      shift += 7;
      if (!(byte & 0x80)) return result;
    }
  }

  template <typename T, unsigned kBits>
  Result<T> Signed() {
    uint64_t result = 0;
    unsigned shift = 0;
    for (;;) {
      if (p_ == end_) return Error("unexpected end: integer truncated");
      const uint8_t byte = *p_;
      if (shift + 7 >= kBits) {
        if (byte & 0x80) return Error("integer representation too long");
        // The unused high bits must all equal the sign bit of the value.
        const unsigned used = kBits - shift;  // 1..7 bits carry the value
        const int sign_and_unused = static_cast<int8_t>(static_cast<uint8_t>(byte << 1)) >> used;
        if (sign_and_unused != 0 && sign_and_unused != -1) return Error("integer too large");
        ++p_;
        result |= static_cast<uint64_t>(byte & 0x7F) << shift;
        shift += 7;
        break;
      }
      ++p_;
      result |= static_cast<uint64_t>(byte & 0x7F) << shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    if (shift < 64 && (result >> (shift - 1)) & 1) result |= ~uint64_t{0} << shift;
    return static_cast<T>(static_cast<int64_t>(result));
  }

  const uint8_t* p_;
  const uint8_t* end_;
  const uint8_t* origin_;

 public:
  LebReader(const LebReader&) = default;
  LebReader& operator=(const LebReader&) = default;
};

}  // namespace tc::wasm
