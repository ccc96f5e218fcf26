// White-box test of the field arithmetic on edge values (0, p - 1, p, 2p, 2^255, 2^256 - 1, ...):
// every carry and borrow fold, against results computed with Python integers.
#include <gtest/gtest.h>

#include "field_results.h"

namespace tc::crypto {
namespace {

TEST(Field25519Test, EdgeValuesMatchPythonIntegers) {
  Sha256Digest digest = testing::FieldResultsDigest();
  EXPECT_TRUE(std::equal(digest.begin(), digest.end(), testing::kFieldResultsSha256));
}

TEST(Field25519Test, InverseTimesValueIsOne) {
  for (const auto& input : testing::kFieldInputs) {
    internal::Fe a, inverse, product;
    internal::LoadWords(a.w, input);
    if (internal::FeIsZero(a)) continue;
    internal::FeInvert(inverse, a);
    internal::FeMul(product, a, inverse);
    uint8_t bytes[32];
    internal::FeToBytes(bytes, product);
    EXPECT_EQ(bytes[0], 1);
    for (int i = 1; i < 32; ++i) EXPECT_EQ(bytes[i], 0);
  }
}

TEST(Field25519Test, FromBytesAcceptsExactlyTheCanonicalValues) {
  uint8_t bytes[32];
  internal::Fe r;
  for (int low = 0xe0; low <= 0xff; ++low) {
    for (int i = 1; i < 31; ++i) bytes[i] = 0xff;
    bytes[0] = static_cast<uint8_t>(low);
    for (uint8_t top : {0x7f, 0xff}) {  // bit 255 is ignored
      bytes[31] = top;
      EXPECT_EQ(internal::FeFromBytes(r, bytes), low < 0xed) << low;
    }
  }
}

}  // namespace
}  // namespace tc::crypto
