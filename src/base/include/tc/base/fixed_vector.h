// A vector with its capacity fixed at compile time and its storage inline: no heap, ever.
#pragma once

#include <cstddef>
#include <new>
#include <span>
#include <utility>

#include "tc/base/status.h"

namespace tc {

template <typename T, size_t kCapacity>
class FixedVector {
 public:
  FixedVector() = default;
  FixedVector(const FixedVector& other) { CopyFrom(other); }
  FixedVector& operator=(const FixedVector& other) {
    if (this != &other) {
      clear();
      CopyFrom(other);
    }
    return *this;
  }
  ~FixedVector() { clear(); }

  static constexpr size_t capacity() { return kCapacity; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == kCapacity; }

  T* data() { return reinterpret_cast<T*>(storage_); }
  const T* data() const { return reinterpret_cast<const T*>(storage_); }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }
  T& back() { return data()[size_ - 1]; }
  std::span<T> span() { return {data(), size_}; }
  std::span<const T> span() const { return {data(), size_}; }

  template <typename... Args>
  Status emplace_back(Args&&... args) {
    if (full()) return Status(ErrorCode::kResourceExhausted, "fixed vector is full");
    new (data() + size_) T(std::forward<Args>(args)...);
    ++size_;
    return Status::Ok();
  }
  Status push_back(const T& value) { return emplace_back(value); }

  void pop_back() {
    if (size_ > 0) data()[--size_].~T();
  }

  // Removes element `i`, shifting the tail down so order is kept.
  Status erase(size_t i) {
    if (i >= size_) return Status(ErrorCode::kOutOfRange, "erase index past the end");
    for (size_t j = i; j + 1 < size_; ++j) data()[j] = std::move(data()[j + 1]);
    pop_back();
    return Status::Ok();
  }

  void clear() {
    while (size_ > 0) pop_back();
  }

 private:
  void CopyFrom(const FixedVector& other) {
    for (const T& v : other) new (data() + size_++) T(v);
  }

  alignas(T) unsigned char storage_[sizeof(T) * kCapacity];
  size_t size_ = 0;
};

}  // namespace tc
