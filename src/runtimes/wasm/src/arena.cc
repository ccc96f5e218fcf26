#include "tc/wasm/arena.h"

#include <cstring>

namespace tc::wasm {

void* Arena::Allocate(size_t bytes, size_t align) {
  const uintptr_t address = reinterpret_cast<uintptr_t>(base_) + bottom_;
  const size_t padding = (align - address % align) % align;
  if (padding > top_ - bottom_ || bytes > top_ - bottom_ - padding) return nullptr;
  uint8_t* p = base_ + bottom_ + padding;
  bottom_ += padding + bytes;
  std::memset(p, 0, bytes);
  return p;
}

void* Arena::AllocateScratch(size_t bytes, size_t align) {
  if (bytes > top_ - bottom_) return nullptr;
  uintptr_t address = reinterpret_cast<uintptr_t>(base_) + top_ - bytes;
  address -= address % align;
  const uintptr_t lowest = reinterpret_cast<uintptr_t>(base_) + bottom_;
  if (address < lowest) return nullptr;
  top_ = address - reinterpret_cast<uintptr_t>(base_);
  std::memset(base_ + top_, 0, bytes);
  return base_ + top_;
}

}  // namespace tc::wasm
