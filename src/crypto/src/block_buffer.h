// The block buffering SHA-256 and SHA-512 share: whole blocks go straight from the input to the
// compression function, only a trailing partial block is copied.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tc::crypto::internal {

using CompressFn = void (*)(void* state, const uint8_t* block);

// block_size is a power of two (64 or 128): a mask, not a 64-bit division, which a Cortex-M would
// do in a library call.
// Feeds `data` after the `length` bytes already seen; buffer holds length % block_size of them.
void FeedBlocks(void* state, CompressFn compress, uint8_t* buffer, size_t block_size,
                uint64_t length, std::span<const uint8_t> data);

// Appends the FIPS 180-4 padding (0x80, zeros, big-endian bit length in the last `length_bytes`
// bytes of the block) and compresses the final block(s).
void PadAndFinish(void* state, CompressFn compress, uint8_t* buffer, size_t block_size,
                  size_t length_bytes, uint64_t length);

}  // namespace tc::crypto::internal
