#include "block_buffer.h"

namespace tc::crypto::internal {

void FeedBlocks(void* state, CompressFn compress, uint8_t* buffer, size_t block_size,
                uint64_t length, std::span<const uint8_t> data) {
  size_t used = static_cast<size_t>(length & (block_size - 1));
  const uint8_t* in = data.data();
  size_t left = data.size();
  if (used != 0) {
    while (left != 0 && used != block_size) {
      buffer[used++] = *in++;
      --left;
    }
    if (used != block_size) return;
    compress(state, buffer);
  }
  for (; left >= block_size; left -= block_size, in += block_size) compress(state, in);
  for (size_t i = 0; i < left; ++i) buffer[i] = in[i];
}

void PadAndFinish(void* state, CompressFn compress, uint8_t* buffer, size_t block_size,
                  size_t length_bytes, uint64_t length) {
  size_t used = static_cast<size_t>(length & (block_size - 1));
  buffer[used++] = 0x80;
  if (used > block_size - length_bytes) {
    while (used != block_size) buffer[used++] = 0;
    compress(state, buffer);
    used = 0;
  }
  while (used != block_size - 8) buffer[used++] = 0;
  // Bit length, big-endian. Messages stay below 2^61 bytes, so the bits above 2^64 (the rest of
  // SHA-512's 128-bit length field) are the zeros already written.
  uint64_t bits = length << 3;
  for (size_t i = 0; i < 8; ++i) buffer[block_size - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  compress(state, buffer);
}

}  // namespace tc::crypto::internal
