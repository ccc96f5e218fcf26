#include "tc/net/coap/block.h"

namespace tc::coap {

Result<BlockOption> DecodeBlock(std::span<const uint8_t> value) {
  if (value.size() > 3) return Status(ErrorCode::kMalformed, "block option longer than 3 bytes");
  uint32_t raw = 0;
  for (uint8_t b : value) raw = (raw << 8) | b;
  BlockOption block;
  block.szx = static_cast<uint8_t>(raw & 0x7);
  if (block.szx == 7) return Status(ErrorCode::kMalformed, "block SZX 7 is reserved");
  block.more = (raw & 0x8) != 0;
  block.num = raw >> 4;
  return block;
}

Result<uint32_t> EncodeBlock(const BlockOption& block) {
  if (block.szx > kMaxSzx) return Status(ErrorCode::kInvalidArgument, "block SZX above 6");
  if (block.num > kMaxBlockNum)
    return Status(ErrorCode::kInvalidArgument, "block NUM above 2^20-1");
  return (block.num << 4) | (block.more ? 0x8u : 0u) | block.szx;
}

Result<uint8_t> SzxForSize(size_t size) {
  if (size < 16) return Status(ErrorCode::kInvalidArgument, "block size below 16 bytes");
  uint8_t szx = 0;
  while (szx < kMaxSzx && (size_t{16} << (szx + 1)) <= size) ++szx;
  return szx;
}

}  // namespace tc::coap
