// Safe access to a guest's memory: a guest hands the host (address, length) pairs, and the host
// may only touch bytes that lie wholly inside the guest's own memory. Every check is done in
// 64-bit arithmetic so neither address + length nor a huge length can wrap around.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tc::runtime {

class GuestMemory {
 public:
  constexpr GuestMemory() = default;
  // `base_address` is the guest address of bytes[0]: 0 for WebAssembly linear memory, the host
  // address of the region for eBPF (whose pointers are host addresses).
  constexpr GuestMemory(std::span<uint8_t> bytes, uint64_t base_address = 0)
      : bytes_(bytes), base_address_(base_address) {}

  constexpr std::span<uint8_t> bytes() const { return bytes_; }
  constexpr uint64_t base_address() const { return base_address_; }
  constexpr size_t size() const { return bytes_.size(); }

  // True when [address, address + length) lies inside this memory.
  constexpr bool Contains(uint64_t address, uint64_t length) const {
    if (address < base_address_) return false;
    const uint64_t offset = address - base_address_;
    const uint64_t size = bytes_.size();
    return offset <= size && length <= size - offset;
  }

  // The bytes at [address, address + length), or an empty span with ok == false when any byte
  // lies outside. A zero-length range inside (or at the end of) the memory is valid.
  struct Slice {
    std::span<uint8_t> bytes;
    bool ok = false;
  };
  constexpr Slice Resolve(uint64_t address, uint64_t length) const {
    if (!Contains(address, length)) return {};
    return {
        bytes_.subspan(static_cast<size_t>(address - base_address_), static_cast<size_t>(length)),
        true};
  }

 private:
  std::span<uint8_t> bytes_;
  uint64_t base_address_ = 0;
};

}  // namespace tc::runtime
