#include "field25519.h"

namespace tc::crypto::internal {
namespace {

constexpr Fe kP = {{0xffffffed, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
                    0xffffffff, 0x7fffffff}};

// Adds the small value k at word 0 and propagates; returns the carry out of bit 256. The carry
// almost never passes word 0, so stopping early saves most of the work (all data is public).
uint32_t AddSmall(Fe& r, uint32_t k) {
  for (int i = 0; i < 8; ++i) {
    r.w[i] += k;
    if (r.w[i] >= k) return 0;
    k = 1;
  }
  return 1;
}

// Subtracts the small value k at word 0 and propagates; returns the borrow out of the top word.
uint32_t SubSmall(Fe& r, uint32_t k) {
  for (int i = 0; i < 8; ++i) {
    uint32_t before = r.w[i];
    r.w[i] = before - k;
    if (before >= k) return 0;
    k = 1;
  }
  return 1;
}

// r holds value - carry * 2^256; since 2^256 = 38 (mod p), add carry * 38 back until nothing
// overflows. A second round only happens when the first wrapped to a tiny value, so it is short.
void FoldCarry(Fe& r, uint32_t carry) {
  while (carry != 0) carry = AddSmall(r, carry * 38);
}

}  // namespace

uint32_t SubWords(uint32_t* r, const uint32_t* a, const uint32_t* b) {
  uint32_t borrow = 0;
  for (int i = 0; i < 8; ++i) {
    uint64_t diff = uint64_t{a[i]} - b[i] - borrow;
    r[i] = static_cast<uint32_t>(diff);
    borrow = static_cast<uint32_t>(diff >> 63);
  }
  return borrow;
}

void LoadWords(uint32_t* r, const uint8_t* bytes) {
  for (int i = 0; i < 8; ++i) {
    r[i] = uint32_t{bytes[4 * i]} | (uint32_t{bytes[4 * i + 1]} << 8) |
           (uint32_t{bytes[4 * i + 2]} << 16) | (uint32_t{bytes[4 * i + 3]} << 24);
  }
}

void FeAdd(Fe& r, const Fe& a, const Fe& b) {
  uint64_t acc = 0;
  for (int i = 0; i < 8; ++i) {
    acc += uint64_t{a.w[i]} + b.w[i];
    r.w[i] = static_cast<uint32_t>(acc);
    acc >>= 32;
  }
  FoldCarry(r, static_cast<uint32_t>(acc));
}

void FeSub(Fe& r, const Fe& a, const Fe& b) {
  // A borrow means r = a - b + 2^256 = a - b + 38 (mod p): take 38 off, which can borrow once more.
  uint32_t borrow = SubWords(r.w, a.w, b.w);
  while (borrow != 0) borrow = SubSmall(r, 38);
}

void FeNeg(Fe& r, const Fe& a) {
  const Fe zero = {};
  FeSub(r, zero, a);
}

namespace {

// hi:lo = a * b + c + d, which never overflows 64 bits. One UMAAL instruction on Armv7E-M.
inline uint64_t MulAddAdd(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
#if defined(__ARM_FEATURE_DSP)
  __asm__("umaal %0, %1, %2, %3" : "+r"(c), "+r"(d) : "r"(a), "r"(b));
  return (uint64_t{d} << 32) | c;
#else
  return uint64_t{a} * b + c + d;
#endif
}

// r = t mod p (loosely) for a 512-bit t: fold the high half, 2^256 = 38 (mod p).
void Reduce(Fe& r, const uint32_t* t) {
  uint32_t carry = 0;
  for (int i = 0; i < 8; ++i) {
    uint64_t acc = MulAddAdd(t[i + 8], 38, t[i], carry);
    r.w[i] = static_cast<uint32_t>(acc);
    carry = static_cast<uint32_t>(acc >> 32);
  }
  FoldCarry(r, carry);
}

}  // namespace

void FeMul(Fe& r, const Fe& a, const Fe& b) {
  // Schoolbook 256x256 -> 512 bits, row by row. Unrolling the inner loop costs ~90 bytes on the
  // Cortex-M4 and saves ~17% of a verification there (no loop overhead around each UMAAL).
  // Row 0 writes t[0..8] and each later row adds into what earlier rows wrote, so nothing needs
  // zeroing first.
  uint32_t t[16];
  for (int i = 0; i < 8; ++i) {
    uint32_t carry = 0;
#pragma GCC unroll 8
    for (int j = 0; j < 8; ++j) {
      uint64_t acc = MulAddAdd(a.w[i], b.w[j], i == 0 ? 0 : t[i + j], carry);
      t[i + j] = static_cast<uint32_t>(acc);
      carry = static_cast<uint32_t>(acc >> 32);
    }
    t[i + 8] = carry;
  }
  Reduce(r, t);
}

// A dedicated squaring (36 instead of 64 products) measured slower on the Cortex-M4 than this
// multiplication with its unrolled UMAAL rows, and cost 384 bytes more.
void FeSquare(Fe& r, const Fe& a) { FeMul(r, a, a); }

void FeFreeze(Fe& a) {
  // a < 2^256 = 2p + 38, so at most two subtractions of p reach the canonical value.
  for (int round = 0; round < 2; ++round) {
    Fe t;
    if (SubWords(t.w, a.w, kP.w) == 0) a = t;
  }
}

bool FeIsZero(const Fe& a) {
  Fe t = a;
  FeFreeze(t);
  uint32_t any = 0;
  for (uint32_t word : t.w) any |= word;
  return any == 0;
}

bool FeEqual(const Fe& a, const Fe& b) {
  Fe d;
  FeSub(d, a, b);
  return FeIsZero(d);
}

bool FeIsNegative(const Fe& a) {
  Fe t = a;
  FeFreeze(t);
  return (t.w[0] & 1) != 0;
}

namespace {

// r = a^(2^n).
void SquareTimes(Fe& r, const Fe& a, int n) {
  r = a;
  for (int i = 0; i < n; ++i) FeSquare(r, r);
}

}  // namespace

void FePow22523(Fe& r, const Fe& z) {
  // Builds z^(2^k - 1) for growing k (each step: shift the exponent left, fill with ones), up to
  // k = 250; then 2^252 - 3 = (2^250 - 1) * 4 + 1. 251 squarings and 11 multiplications.
  Fe z3, z15, z31, z2_10, z2_20, z2_50, z2_100, t;
  FeSquare(t, z);
  FeMul(z3, t, z);  // 2^2 - 1
  SquareTimes(t, z3, 2);
  FeMul(z15, t, z3);  // 2^4 - 1
  FeSquare(t, z15);
  FeMul(z31, t, z);  // 2^5 - 1
  SquareTimes(t, z31, 5);
  FeMul(z2_10, t, z31);  // 2^10 - 1
  SquareTimes(t, z2_10, 10);
  FeMul(z2_20, t, z2_10);  // 2^20 - 1
  SquareTimes(t, z2_20, 20);
  FeMul(t, t, z2_20);  // 2^40 - 1
  SquareTimes(t, t, 10);
  FeMul(z2_50, t, z2_10);  // 2^50 - 1
  SquareTimes(t, z2_50, 50);
  FeMul(z2_100, t, z2_50);  // 2^100 - 1
  SquareTimes(t, z2_100, 100);
  FeMul(t, t, z2_100);  // 2^200 - 1
  SquareTimes(t, t, 50);
  FeMul(t, t, z2_50);  // 2^250 - 1
  SquareTimes(t, t, 2);
  FeMul(r, t, z);  // 2^252 - 3
}

void FeInvert(Fe& r, const Fe& z) {
  // p - 2 = 2^255 - 21 = (2^252 - 3) * 8 + 3.
  Fe t, z3;
  FePow22523(t, z);
  SquareTimes(t, t, 3);
  FeSquare(z3, z);
  FeMul(z3, z3, z);
  FeMul(r, t, z3);
}

bool FeFromBytes(Fe& r, const uint8_t* bytes) {
  LoadWords(r.w, bytes);
  r.w[7] &= 0x7fffffff;
  Fe t;
  return SubWords(t.w, r.w, kP.w) != 0;
}

void FeToBytes(uint8_t* bytes, const Fe& a) {
  Fe t = a;
  FeFreeze(t);
  for (int i = 0; i < 32; ++i) bytes[i] = static_cast<uint8_t>(t.w[i / 4] >> (8 * (i % 4)));
}

}  // namespace tc::crypto::internal
