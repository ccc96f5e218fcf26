// Caller-supplied storage for everything a module or instance needs: the embedder hands over one
// byte buffer and the runtime never touches the heap. Permanent objects are bump-allocated from the
// bottom; scratch space (the validator's stacks) comes from the top and is released afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tc::wasm {

class Arena {
 public:
  Arena() = default;
  explicit Arena(std::span<uint8_t> storage)
      : base_(storage.data()), bottom_(0), top_(storage.size()), size_(storage.size()) {}

  // Zeroed, `align`-aligned storage, or nullptr when the arena is full.
  void* Allocate(size_t bytes, size_t align = 8);
  template <typename T>
  T* AllocateArray(size_t count) {
    if (count > SIZE_MAX / sizeof(T)) return nullptr;
    return static_cast<T*>(Allocate(count * sizeof(T), alignof(T)));
  }

  // Scratch allocations come from the top end and live until ReleaseScratch(mark).
  size_t ScratchMark() const { return top_; }
  void* AllocateScratch(size_t bytes, size_t align = 8);
  void ReleaseScratch(size_t mark) { top_ = mark; }

  // The free gap between permanent and scratch allocations, for code emitted in place.
  uint8_t* free_begin() { return base_ + bottom_; }
  size_t free_bytes() const { return top_ - bottom_; }
  // Commits `bytes` of the free gap (already written through free_begin()) as permanent.
  void Commit(size_t bytes) { bottom_ += bytes; }

  size_t used() const { return bottom_; }
  size_t capacity() const { return size_; }

 private:
  uint8_t* base_ = nullptr;
  size_t bottom_ = 0;
  size_t top_ = 0;
  size_t size_ = 0;
};

}  // namespace tc::wasm
