// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) to detect a damaged stored blob.
#pragma once

#include <cstdint>
#include <span>

namespace tc::port::posix {

uint32_t Crc32(std::span<const uint8_t> data);

}  // namespace tc::port::posix
