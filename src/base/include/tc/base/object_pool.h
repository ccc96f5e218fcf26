// A pool of kCapacity objects of one type, allocated at build time: Acquire constructs in a free
// slot, Release destroys and frees it. Replaces the heap for long-lived objects after init.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>

#include "tc/base/result.h"

namespace tc {

template <typename T, size_t kCapacity>
class ObjectPool {
 public:
  ObjectPool() = default;
  ObjectPool(const ObjectPool&) = delete;
  ObjectPool& operator=(const ObjectPool&) = delete;
  ~ObjectPool() {
    for (size_t i = 0; i < kCapacity; ++i) {
      if (used_[i]) Slot(i)->~T();
    }
  }

  static constexpr size_t capacity() { return kCapacity; }
  size_t in_use() const { return in_use_; }

  template <typename... Args>
  Result<T*> Acquire(Args&&... args) {
    for (size_t i = 0; i < kCapacity; ++i) {
      if (!used_[i]) {
        used_[i] = true;
        ++in_use_;
        return new (Slot(i)) T(std::forward<Args>(args)...);
      }
    }
    return Status(ErrorCode::kResourceExhausted, "object pool is exhausted");
  }

  // Rejects pointers that are not live objects of this pool, so a double release is caught.
  Status Release(T* object) {
    const size_t index = IndexOf(object);
    if (index == kCapacity || !used_[index]) {
      return Status(ErrorCode::kInvalidArgument, "pointer is not a live object of this pool");
    }
    object->~T();
    used_[index] = false;
    --in_use_;
    return Status::Ok();
  }

  bool Owns(const T* object) const {
    const size_t index = IndexOf(object);
    return index != kCapacity && used_[index];
  }

 private:
  T* Slot(size_t i) { return reinterpret_cast<T*>(storage_ + i * sizeof(T)); }

  size_t IndexOf(const T* object) const {
    const auto address = reinterpret_cast<uintptr_t>(object);
    const auto base = reinterpret_cast<uintptr_t>(storage_);
    if (address < base || address >= base + sizeof(storage_)) return kCapacity;
    if ((address - base) % sizeof(T) != 0) return kCapacity;
    return (address - base) / sizeof(T);
  }

  alignas(T) unsigned char storage_[sizeof(T) * kCapacity];
  bool used_[kCapacity] = {};
  size_t in_use_ = 0;
};

}  // namespace tc
