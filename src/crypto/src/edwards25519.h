// The twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19) (RFC 8032 §5.1), in
// extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. The addition formulas are complete,
// so they hold for every pair of points, small-order and mixed-order ones included.
#pragma once

#include <cstdint>

#include "field25519.h"

namespace tc::crypto::internal {

struct Point {
  Fe x, y, z, t;
};

enum class DecodeResult : uint8_t { kOk, kNonCanonical, kNotOnCurve };

// RFC 8032 §5.1.3: y must be below p; x is recovered from y and the sign bit. The encoding of
// x = 0 with the sign bit set is rejected.
DecodeResult PointDecode(Point& r, const uint8_t* bytes);
// The canonical 32-byte encoding.
void PointEncode(uint8_t* bytes, const Point& p);
void PointNegate(Point& r, const Point& p);
// True when 8p is the identity, i.e. p lies in the torsion subgroup of order dividing 8.
bool PointHasSmallOrder(const Point& p);
// r = [a]B + [b]p for 32-byte little-endian scalars a, b below 2^253 (in verification both are
// below L). Variable time: all inputs are public.
void DoubleScalarMulBase(Point& r, const uint8_t* a, const uint8_t* b, const Point& p);

}  // namespace tc::crypto::internal
