// Exact conversions between doubles and the narrower IEEE 754 formats CBOR carries, done on the
// bit patterns so no libm is needed and NaN payloads survive.
#pragma once

#include <cstdint>

namespace tc::cbor {

double HalfToDouble(uint16_t bits);
double SingleToDouble(uint32_t bits);
// True (and the narrow bit pattern in *bits) if `value` is exactly representable, NaN payload
// included; this is the "shortest form that preserves the value" test of RFC 8949 §4.2.1.
bool DoubleToHalfExact(double value, uint16_t* bits);
bool DoubleToSingleExact(double value, uint32_t* bits);
// For a CBOR float head (additional info 25, 26 or 27 and its raw bits): whether a shorter float
// holds the same value. Works on the bits alone, so readers need no double arithmetic.
bool FloatHasShorterForm(uint8_t additional, uint64_t bits);

}  // namespace tc::cbor
