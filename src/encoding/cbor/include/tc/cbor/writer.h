// A CBOR writer producing deterministic encoding (RFC 8949 §4.2.1) into a caller-owned buffer:
// shortest-form integers, lengths and tags, definite lengths only, floats in the shortest form that
// preserves their value. Writing map keys in order is the caller's job (see MapKeyOrder).
// A write that does not fit writes nothing and returns kResourceExhausted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/status.h"
#include "tc/cbor/types.h"

namespace tc::cbor {

class Writer {
 public:
  explicit Writer(std::span<uint8_t> buffer) : buffer_(buffer) {}

  size_t size() const { return pos_; }
  size_t remaining() const { return buffer_.size() - pos_; }
  std::span<const uint8_t> written() const { return buffer_.first(pos_); }
  // Drops everything written after the first `size` bytes, e.g. a document that did not fit.
  void Rewind(size_t size) {
    if (size < pos_) pos_ = size;
  }

  Status WriteUint(uint64_t value);
  Status WriteInt(int64_t value);
  // Major type 1 with argument `argument`, i.e. the integer -1 - argument (reaches -2^64).
  Status WriteNegative(uint64_t argument);
  Status WriteBytes(std::span<const uint8_t> bytes);
  Status WriteText(std::string_view text);
  Status WriteArrayHeader(uint64_t count);
  Status WriteMapHeader(uint64_t pair_count);
  Status WriteTag(uint64_t tag);
  Status WriteBool(bool value);
  Status WriteNull();
  Status WriteUndefined();
  // Simple values 0..23 and 32..255; 24..31 are not well-formed (kInvalidArgument).
  Status WriteSimple(uint8_t value);
  Status WriteFloat(double value);
  // A bare head, e.g. a byte string header whose payload follows through WriteRaw.
  Status WriteHead(MajorType major, uint64_t argument);
  // Already encoded bytes, copied as they are.
  Status WriteRaw(std::span<const uint8_t> bytes);

 private:
  Status Put(MajorType major, uint64_t argument, std::span<const uint8_t> payload);

  std::span<uint8_t> buffer_;
  size_t pos_ = 0;
};

}  // namespace tc::cbor
