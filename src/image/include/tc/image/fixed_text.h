// Bounded inline strings and byte strings for metadata fields: no heap, capacity fixed at compile
// time, assignment of something too long fails and changes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "tc/base/status.h"

namespace tc::image {

template <typename Char, size_t kCapacity>
class FixedString {
  static_assert(kCapacity < 256, "size is kept in one byte");

 public:
  static constexpr size_t capacity() { return kCapacity; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const Char* data() const { return data_; }
  std::span<const Char> span() const { return {data_, size_}; }

  Status Assign(std::span<const Char> value) {
    if (value.size() > kCapacity) return Status(ErrorCode::kOutOfRange, "longer than its capacity");
    for (size_t i = 0; i < value.size(); ++i) data_[i] = value[i];
    size_ = static_cast<uint8_t>(value.size());
    return Status::Ok();
  }

  friend bool operator==(const FixedString& a, const FixedString& b) {
    if (a.size_ != b.size_) return false;
    for (size_t i = 0; i < a.size_; ++i) {
      if (a.data_[i] != b.data_[i]) return false;
    }
    return true;
  }

 private:
  Char data_[kCapacity] = {};
  uint8_t size_ = 0;
};

template <size_t kCapacity>
class FixedText : public FixedString<char, kCapacity> {
 public:
  std::string_view view() const { return {this->data(), this->size()}; }
  Status Assign(std::string_view text) {
    return FixedString<char, kCapacity>::Assign(std::span<const char>(text.data(), text.size()));
  }
};

template <size_t kCapacity>
using FixedBytes = FixedString<uint8_t, kCapacity>;

}  // namespace tc::image
