#include "tc/cbor/float16.h"

#include <bit>

namespace tc::cbor {

namespace {

constexpr int kDoubleMantissaBits = 52;
constexpr int kDoubleBias = 1023;

constexpr uint64_t LowMask(int bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }

// Widens a binary floating-point pattern with `mant_bits` mantissa and `exp_bits` exponent bits.
double NarrowToDouble(uint64_t bits, int mant_bits, int exp_bits) {
  const uint64_t sign = (bits >> (mant_bits + exp_bits)) & 1;
  const uint64_t exp = (bits >> mant_bits) & LowMask(exp_bits);
  const uint64_t mant = bits & LowMask(mant_bits);
  const int bias = (1 << (exp_bits - 1)) - 1;
  uint64_t out = sign << 63;
  if (exp == LowMask(exp_bits)) {
    out |= 0x7ffull << kDoubleMantissaBits | mant << (kDoubleMantissaBits - mant_bits);
  } else if (exp != 0) {
    out |= (exp - bias + kDoubleBias) << kDoubleMantissaBits |
           mant << (kDoubleMantissaBits - mant_bits);
  } else if (mant != 0) {
    // Subnormal: mant * 2^(1 - bias - mant_bits); normalise it into a double.
    int e = 1 - bias;
    uint64_t m = mant;
    while ((m & (1ull << mant_bits)) == 0) {
      m <<= 1;
      --e;
    }
    out |= static_cast<uint64_t>(e + kDoubleBias) << kDoubleMantissaBits |
           (m & LowMask(mant_bits)) << (kDoubleMantissaBits - mant_bits);
  }
  return std::bit_cast<double>(out);
}

// The inverse of NarrowToDouble, succeeding only when no bit of the value is lost.
bool DoubleToNarrowExact(double value, int mant_bits, int exp_bits, uint64_t* narrow) {
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  const uint64_t sign = (bits >> 63) << (mant_bits + exp_bits);
  const uint64_t exp = (bits >> kDoubleMantissaBits) & 0x7ff;
  const uint64_t mant = bits & LowMask(kDoubleMantissaBits);
  const int drop = kDoubleMantissaBits - mant_bits;
  const int bias = (1 << (exp_bits - 1)) - 1;
  if (exp == 0x7ff) {  // infinity or NaN: keep the payload if it fits
    if ((mant & LowMask(drop)) != 0) return false;
    *narrow = sign | LowMask(exp_bits) << mant_bits | mant >> drop;
    return true;
  }
  if (exp == 0) {  // zero fits; double subnormals are below every narrower format
    if (mant != 0) return false;
    *narrow = sign;
    return true;
  }
  const int e = static_cast<int>(exp) - kDoubleBias;
  if (e > bias) return false;
  if (e >= 1 - bias) {
    if ((mant & LowMask(drop)) != 0) return false;
    *narrow = sign | static_cast<uint64_t>(e + bias) << mant_bits | mant >> drop;
    return true;
  }
  // Narrow subnormal: significand * 2^(e - 52) expressed in units of 2^(1 - bias - mant_bits).
  const uint64_t significand = mant | 1ull << kDoubleMantissaBits;
  const int shift = kDoubleMantissaBits + (1 - bias) - mant_bits - e;
  if (shift > kDoubleMantissaBits) return false;
  if ((significand & LowMask(shift)) != 0) return false;
  *narrow = sign | significand >> shift;
  return true;
}

}  // namespace

double HalfToDouble(uint16_t bits) { return NarrowToDouble(bits, 10, 5); }

double SingleToDouble(uint32_t bits) { return NarrowToDouble(bits, 23, 8); }

bool DoubleToHalfExact(double value, uint16_t* bits) {
  uint64_t narrow = 0;
  if (!DoubleToNarrowExact(value, 10, 5, &narrow)) return false;
  *bits = static_cast<uint16_t>(narrow);
  return true;
}

bool DoubleToSingleExact(double value, uint32_t* bits) {
  uint64_t narrow = 0;
  if (!DoubleToNarrowExact(value, 23, 8, &narrow)) return false;
  *bits = static_cast<uint32_t>(narrow);
  return true;
}

}  // namespace tc::cbor
