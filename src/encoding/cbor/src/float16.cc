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

// Whether the pattern `bits` (mant_bits mantissa, exp_bits exponent) narrows exactly to the format
// with to_mant mantissa and to_exp exponent bits.
template <typename U>
bool NarrowsExactly(U bits, int mant_bits, int exp_bits, int to_mant, int to_exp) {
  const U mant = bits & ((U{1} << mant_bits) - 1);
  const int raw_exp = static_cast<int>((bits >> mant_bits) & ((U{1} << exp_bits) - 1));
  const int bias = (1 << (exp_bits - 1)) - 1;
  const int to_bias = (1 << (to_exp - 1)) - 1;
  const int drop = mant_bits - to_mant;
  const U dropped_mask = (U{1} << drop) - 1;
  if (raw_exp == (1 << exp_bits) - 1) return (mant & dropped_mask) == 0;  // infinity / NaN
  if (raw_exp == 0) return mant == 0;  // zero; wider subnormals are below the narrower range
  const int e = raw_exp - bias;
  if (e > to_bias) return false;
  if (e >= 1 - to_bias) return (mant & dropped_mask) == 0;
  const int shift = drop + (1 - to_bias) - e;  // becomes a narrower subnormal
  if (shift > mant_bits) return false;
  return ((mant | U{1} << mant_bits) & ((U{1} << shift) - 1)) == 0;
}

}  // namespace

bool FloatHasShorterForm(uint8_t additional, uint64_t bits) {
  if (additional == 26) return NarrowsExactly<uint32_t>(static_cast<uint32_t>(bits), 23, 8, 10, 5);
  if (additional == 27) return NarrowsExactly<uint64_t>(bits, 52, 11, 23, 8);
  return false;
}

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
