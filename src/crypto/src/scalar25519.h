// Scalars modulo the prime group order L = 2^252 + 27742317777372353535851937790883648493.
#pragma once

#include <cstdint>

namespace tc::crypto::internal {

// True when the 32-byte little-endian value is below L.
bool ScalarIsCanonical(const uint8_t* scalar);
// out (32 bytes) = in (64 bytes, little-endian) mod L.
void ScalarReduce512(uint8_t* out, const uint8_t* in);

}  // namespace tc::crypto::internal
