// Arithmetic in GF(p), p = 2^255 - 19, for Ed25519 verification. Only public values pass through
// here (keys, signatures, messages), so the code favours size and clarity over constant time.
#pragma once

#include <cstdint>

namespace tc::crypto::internal {

// Eight little-endian 32-bit words. Values are kept below 2^256 and congruent to the element;
// FeFreeze() gives the unique representative below p.
struct Fe {
  uint32_t w[8];
};

// Multi-word helpers shared with the scalar code: r = a - b over 8 words, returns the borrow.
uint32_t SubWords(uint32_t* r, const uint32_t* a, const uint32_t* b);
void LoadWords(uint32_t* r, const uint8_t* bytes);  // 32 little-endian bytes

// All operations allow r to alias their inputs.
void FeAdd(Fe& r, const Fe& a, const Fe& b);
void FeSub(Fe& r, const Fe& a, const Fe& b);
void FeNeg(Fe& r, const Fe& a);
void FeMul(Fe& r, const Fe& a, const Fe& b);
void FeSquare(Fe& r, const Fe& a);
void FeFreeze(Fe& a);
bool FeIsZero(const Fe& a);
bool FeEqual(const Fe& a, const Fe& b);
// The "sign" of RFC 8032: the low bit of the canonical value.
bool FeIsNegative(const Fe& a);
// r = z^((p-5)/8) = z^(2^252 - 3), the exponent of the square-root candidate (RFC 8032 §5.1.3).
void FePow22523(Fe& r, const Fe& z);
// r = 1/z (0 for z = 0).
void FeInvert(Fe& r, const Fe& z);

// Loads bits 0..254 of 32 little-endian bytes (bit 255 is the caller's business). Returns false
// when the value is not below p, i.e. the encoding is not canonical.
bool FeFromBytes(Fe& r, const uint8_t* bytes);
// Writes the canonical value as 32 little-endian bytes (bit 255 clear).
void FeToBytes(uint8_t* bytes, const Fe& a);

}  // namespace tc::crypto::internal
