// Table-driven CRC-32 (IEEE): input[0] = rounds; the 256 bytes after it are hashed `rounds` times.
#include "types.h"

static u32 table[256];

u64 entry(const u64* input) {
  for (u32 i = 0; i < 256; ++i) {
    u32 c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  const u8* data = (const u8*)(input + 1);
  u32 crc = 0xffffffffu;
  for (u64 round = 0; round < input[0]; ++round) {
    for (u32 i = 0; i < 256; ++i) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  }
  return crc ^ 0xffffffffu;
}
