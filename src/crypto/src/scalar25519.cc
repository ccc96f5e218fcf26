#include "scalar25519.h"

#include "field25519.h"

namespace tc::crypto::internal {
namespace {

constexpr uint32_t kL[8] = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de,
                            0x00000000, 0x00000000, 0x00000000, 0x10000000};

}  // namespace

bool ScalarIsCanonical(const uint8_t* scalar) {
  uint32_t s[8], t[8];
  LoadWords(s, scalar);
  return SubWords(t, s, kL) != 0;
}

void ScalarReduce512(uint8_t* out, const uint8_t* in) {
  // Bit-serial long division: r = 2r + next bit, minus L when r >= L. r < L < 2^253, so 2r + 1
  // fits 256 bits. Runs once per verification, so simplicity beats speed here.
  uint32_t r[8] = {}, t[8];
  for (int bit = 511; bit >= 0; --bit) {
    uint32_t carry = (in[bit >> 3] >> (bit & 7)) & 1;
    for (int i = 0; i < 8; ++i) {
      uint32_t next = r[i] >> 31;
      r[i] = (r[i] << 1) | carry;
      carry = next;
    }
    if (SubWords(t, r, kL) == 0) {
      for (int i = 0; i < 8; ++i) r[i] = t[i];
    }
  }
  for (int i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(r[i / 4] >> (8 * (i % 4)));
}

}  // namespace tc::crypto::internal
