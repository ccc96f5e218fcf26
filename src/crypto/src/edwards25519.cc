#include "edwards25519.h"

namespace tc::crypto::internal {
namespace {

constexpr Fe kD = {{0x135978a3, 0x75eb4dca, 0x4141d8ab, 0x00700a4d, 0x7779e898, 0x8cc74079,
                    0x2b6ffe73, 0x52036cee}};
constexpr Fe k2D = {{0x26b2f159, 0xebd69b94, 0x8283b156, 0x00e0149a, 0xeef3d130, 0x198e80f2,
                     0x56dffce7, 0x2406d9dc}};
constexpr Fe kSqrtMinus1 = {{0x4a0ea0b0, 0xc4ee1b27, 0xad2fe478, 0x2f431806, 0x3dfbd7a7, 0x2b4d0099,
                             0x4fc1df0b, 0x2b832480}};
constexpr Fe kOne = {{1, 0, 0, 0, 0, 0, 0, 0}};
// The base point B (RFC 8032 §5.1): y = 4/5, x even.
constexpr Fe kBaseX = {{0x8f25d51a, 0xc9562d60, 0x9525a7b2, 0x692cc760, 0xfdd6dc5c, 0xc0a4e231,
                        0xcd6e53fe, 0x216936d3}};
constexpr Fe kBaseY = {{0x66666658, 0x66666666, 0x66666666, 0x66666666, 0x66666666, 0x66666666,
                        0x66666666, 0x66666666}};

// A point prepared as an addend: (Y+X, Y-X, 2dT, 2Z) saves a multiplication per addition.
struct CachedPoint {
  Fe y_plus_x, y_minus_x, t2d, z2;
};

void ToCached(CachedPoint& r, const Point& p) {
  FeAdd(r.y_plus_x, p.y, p.x);
  FeSub(r.y_minus_x, p.y, p.x);
  FeMul(r.t2d, p.t, k2D);
  FeAdd(r.z2, p.z, p.z);
}

// RFC 8032 §5.1.4 addition, r = p + q, or r = p - q when `subtract` (-q swaps Y+X with Y-X and
// negates T). T of the result is only computed when the next operation is an addition: doubling
// does not read it.
void PointAdd(Point& r, const Point& p, const CachedPoint& q, bool subtract = false,
              bool need_t = true) {
  Fe a, b, c, d, e, f, g, h;
  FeSub(a, p.y, p.x);
  FeMul(a, a, subtract ? q.y_plus_x : q.y_minus_x);
  FeAdd(b, p.y, p.x);
  FeMul(b, b, subtract ? q.y_minus_x : q.y_plus_x);
  FeMul(c, p.t, q.t2d);
  if (subtract) FeNeg(c, c);
  FeMul(d, p.z, q.z2);
  FeSub(e, b, a);
  FeSub(f, d, c);
  FeAdd(g, d, c);
  FeAdd(h, b, a);
  FeMul(r.x, e, f);
  FeMul(r.y, g, h);
  if (need_t) FeMul(r.t, e, h);
  FeMul(r.z, f, g);
}

// RFC 8032 §5.1.4 doubling (reads X, Y, Z only).
void PointDouble(Point& r, const Point& p, bool need_t = true) {
  Fe a, b, c, e, f, g, h;
  FeSquare(a, p.x);
  FeSquare(b, p.y);
  FeSquare(c, p.z);
  FeAdd(c, c, c);
  FeAdd(h, a, b);
  FeAdd(e, p.x, p.y);
  FeSquare(e, e);
  FeSub(e, h, e);
  FeSub(g, a, b);
  FeAdd(f, c, g);
  FeMul(r.x, e, f);
  FeMul(r.y, g, h);
  if (need_t) FeMul(r.t, e, h);
  FeMul(r.z, f, g);
}

constexpr int kWindow = 4;                         // wNAF width
constexpr int kOddMultiples = 1 << (kWindow - 2);  // P, 3P, 5P, 7P

// Width-4 non-adjacent form: digits in {0, +-1, +-3, +-5, +-7}, at most one non-zero digit in any
// four consecutive positions, so a 253-bit scalar costs about 51 additions instead of 126.
void ComputeWnaf(int8_t* digits, const uint8_t* scalar) {
  uint32_t k[9];
  LoadWords(k, scalar);
  k[8] = 0;
  for (int i = 0; i < 256; ++i) {
    int digit = 0;
    if ((k[0] & 1) != 0) {
      digit = static_cast<int>(k[0] & ((1u << kWindow) - 1));
      if (digit >= (1 << (kWindow - 1))) digit -= 1 << kWindow;
      // k -= digit: a positive digit just clears the low window bits, a negative one adds.
      if (digit > 0) {
        k[0] -= static_cast<uint32_t>(digit);
      } else {
        uint32_t carry = static_cast<uint32_t>(-digit);
        for (int w = 0; w < 9 && carry != 0; ++w) {
          k[w] += carry;
          carry = k[w] < carry ? 1 : 0;
        }
      }
    }
    digits[i] = static_cast<int8_t>(digit);
    for (int w = 0; w < 9; ++w) k[w] = (k[w] >> 1) | (w < 8 ? k[w + 1] << 31 : 0);
  }
}

// table[i] = (2i + 1) p.
void OddMultiples(CachedPoint* table, const Point& p) {
  CachedPoint twice;
  Point q;
  PointDouble(q, p);
  ToCached(twice, q);
  q = p;
  ToCached(table[0], q);
  for (int i = 1; i < kOddMultiples; ++i) {
    PointAdd(q, q, twice);
    ToCached(table[i], q);
  }
}

// r += digit * table entry (digit odd or zero).
void AddDigit(Point& r, const CachedPoint* table, int digit, bool need_t) {
  if (digit > 0) PointAdd(r, r, table[digit / 2], false, need_t);
  if (digit < 0) PointAdd(r, r, table[-digit / 2], true, need_t);
}

}  // namespace

DecodeResult PointDecode(Point& r, const uint8_t* bytes) {
  if (!FeFromBytes(r.y, bytes)) return DecodeResult::kNonCanonical;
  bool x_negative = (bytes[31] >> 7) != 0;
  // x^2 = u / v with u = y^2 - 1, v = d y^2 + 1; candidate x = u v^3 (u v^7)^((p-5)/8).
  Fe u, v, v3, x, check;
  FeSquare(u, r.y);
  FeMul(v, u, kD);
  FeSub(u, u, kOne);
  FeAdd(v, v, kOne);
  FeSquare(v3, v);
  FeMul(v3, v3, v);
  FeSquare(x, v3);
  FeMul(x, x, v);
  FeMul(x, x, u);  // u v^7
  FePow22523(x, x);
  FeMul(x, x, v3);
  FeMul(x, x, u);
  FeSquare(check, x);
  FeMul(check, check, v);
  if (!FeEqual(check, u)) {
    FeNeg(u, u);
    if (!FeEqual(check, u)) return DecodeResult::kNotOnCurve;
    FeMul(x, x, kSqrtMinus1);
  }
  if (FeIsZero(x) && x_negative) return DecodeResult::kNotOnCurve;
  if (FeIsNegative(x) != x_negative) FeNeg(x, x);
  r.x = x;
  r.z = kOne;
  FeMul(r.t, x, r.y);
  return DecodeResult::kOk;
}

void PointEncode(uint8_t* bytes, const Point& p) {
  Fe z_inverse, x, y;
  FeInvert(z_inverse, p.z);
  FeMul(x, p.x, z_inverse);
  FeMul(y, p.y, z_inverse);
  FeToBytes(bytes, y);
  bytes[31] = static_cast<uint8_t>(bytes[31] | (FeIsNegative(x) ? 0x80 : 0));
}

void PointNegate(Point& r, const Point& p) {
  FeNeg(r.x, p.x);
  r.y = p.y;
  r.z = p.z;
  FeNeg(r.t, p.t);
}

bool PointHasSmallOrder(const Point& p) {
  // 8p has x = 0 only as the identity: (0, -1) has order 2, so 8p = (0, -1) would need order 16,
  // which does not divide the group order 8L.
  Point q;
  PointDouble(q, p);
  PointDouble(q, q);
  PointDouble(q, q);
  return FeIsZero(q.x);
}

void DoubleScalarMulBase(Point& r, const uint8_t* a, const uint8_t* b, const Point& p) {
  // Straus: one shared doubling chain, adding table entries where either wNAF digit is non-zero.
  int8_t digits_a[256], digits_b[256];
  ComputeWnaf(digits_a, a);
  ComputeWnaf(digits_b, b);
  Point base = {kBaseX, kBaseY, kOne, {}};
  FeMul(base.t, kBaseX, kBaseY);
  CachedPoint table_a[kOddMultiples], table_b[kOddMultiples];
  OddMultiples(table_a, base);
  OddMultiples(table_b, p);

  r = {{}, kOne, kOne, {}};
  int top = 255;
  while (top >= 0 && digits_a[top] == 0 && digits_b[top] == 0) --top;
  for (int i = top; i >= 0; --i) {
    bool adds = digits_a[i] != 0 || digits_b[i] != 0;
    PointDouble(r, r, adds);
    AddDigit(r, table_a, digits_a[i], digits_b[i] != 0);
    AddDigit(r, table_b, digits_b[i], false);
  }
}

}  // namespace tc::crypto::internal
