// Block1/Block2 options (RFC 7959 §2.2): a uint of up to 3 bytes, NUM << 4 | M << 3 | SZX,
// block size 2^(SZX + 4) bytes (16..1024).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tc/base/result.h"

namespace tc::coap {

inline constexpr uint8_t kMaxSzx = 6;              // 1024 bytes; SZX 7 is reserved
inline constexpr uint32_t kMaxBlockNum = 0xFFFFF;  // 20 bits

struct BlockOption {
  uint32_t num = 0;
  bool more = false;
  uint8_t szx = 0;

  constexpr size_t size() const { return size_t{16} << szx; }
  constexpr size_t offset() const { return static_cast<size_t>(num) * size(); }
  friend constexpr bool operator==(const BlockOption&, const BlockOption&) = default;
};

// kMalformed: value longer than 3 bytes, or SZX 7 (reserved).
Result<BlockOption> DecodeBlock(std::span<const uint8_t> value);
// The option's uint value; kInvalidArgument for SZX above 6 or NUM above 2^20 - 1.
Result<uint32_t> EncodeBlock(const BlockOption& block);
// The largest SZX whose block size is at most `size` bytes; kInvalidArgument below 16.
Result<uint8_t> SzxForSize(size_t size);

}  // namespace tc::coap
