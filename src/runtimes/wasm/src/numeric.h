// WebAssembly numeric semantics that C++ operators do not give directly: float min/max/nearest
// with the spec's NaN and signed-zero rules, and float-to-int conversions with range checks.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace tc::wasm::numeric {

template <typename F>
inline F Min(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;  // a quiet NaN built from the operands
  if (a == b) return std::signbit(a) ? a : b;        // min(-0, +0) is -0
  return a < b ? a : b;
}

template <typename F>
inline F Max(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

// Rounding functions: a NaN operand yields a quiet NaN (libm may hand a signalling NaN back).
template <typename F>
inline F Nearest(F a) {
  return std::isnan(a) ? a + a : std::nearbyint(a);
}
template <typename F>
inline F Ceil(F a) {
  return std::isnan(a) ? a + a : std::ceil(a);
}
template <typename F>
inline F Floor(F a) {
  return std::isnan(a) ? a + a : std::floor(a);
}
template <typename F>
inline F Trunc(F a) {
  return std::isnan(a) ? a + a : std::trunc(a);
}

// Whether `f` (not NaN) truncates to a value representable in the integer type of the range
// (lower, upper), both exclusive.
template <typename F>
inline bool InRange(F f, F lower_exclusive, F upper_exclusive) {
  return f > lower_exclusive && f < upper_exclusive;
}

// Saturating truncation (the non-trapping conversions).
template <typename I, typename F>
inline I TruncSat(F f) {
  if (std::isnan(f)) return 0;
  constexpr I kMin = std::numeric_limits<I>::min();
  constexpr I kMax = std::numeric_limits<I>::max();
  // 2^N as a float is exact; compare against it rather than against kMax.
  const F upper = std::is_signed_v<I> ? -static_cast<F>(kMin) : static_cast<F>(kMax) + F(1);
  if (f >= upper) return kMax;
  if (std::is_signed_v<I> ? f <= static_cast<F>(kMin) : f <= F(-1)) return kMin;
  return static_cast<I>(f);
}

template <typename F, typename U>
inline F BitsTo(U bits) {
  F f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

template <typename U, typename F>
inline U ToBits(F f) {
  U bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits;
}

}  // namespace tc::wasm::numeric
