// A fixed-capacity FIFO: Push fails when full (queues), PushOverwrite drops the oldest (traces,
// logs), so a producer never blocks and memory never grows.
#pragma once

#include <cstddef>

#include "tc/base/status.h"

namespace tc {

template <typename T, size_t kCapacity>
class RingBuffer {
  static_assert(kCapacity > 0, "RingBuffer needs a capacity");

 public:
  static constexpr size_t capacity() { return kCapacity; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  bool full() const { return size_ == kCapacity; }
  // How many entries PushOverwrite has discarded since construction.
  size_t dropped() const { return dropped_; }

  Status Push(const T& value) {
    if (full()) return Status(ErrorCode::kResourceExhausted, "ring buffer is full");
    items_[(head_ + size_) % kCapacity] = value;
    ++size_;
    return Status::Ok();
  }

  void PushOverwrite(const T& value) {
    if (full()) {
      head_ = (head_ + 1) % kCapacity;
      --size_;
      ++dropped_;
    }
    items_[(head_ + size_) % kCapacity] = value;
    ++size_;
  }

  // Removes the oldest entry into `out`; kNotFound when empty.
  Status Pop(T& out) {
    if (empty()) return Status(ErrorCode::kNotFound, "ring buffer is empty");
    out = items_[head_];
    head_ = (head_ + 1) % kCapacity;
    --size_;
    return Status::Ok();
  }

  // The i-th oldest entry; i must be < size().
  const T& operator[](size_t i) const { return items_[(head_ + i) % kCapacity]; }

  void clear() {
    head_ = 0;
    size_ = 0;
  }

 private:
  T items_[kCapacity] = {};
  size_t head_ = 0;
  size_t size_ = 0;
  size_t dropped_ = 0;
};

}  // namespace tc
