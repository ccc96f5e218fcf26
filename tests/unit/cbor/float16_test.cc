#include "tc/cbor/float16.h"

#include <gtest/gtest.h>

#include <bit>
#include <random>

namespace tc::cbor {
namespace {

TEST(Float16, EveryHalfRoundTripsThroughDouble) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    uint16_t back = 0;
    ASSERT_TRUE(DoubleToHalfExact(HalfToDouble(static_cast<uint16_t>(bits)), &back)) << bits;
    EXPECT_EQ(back, bits);
  }
}

// The reader's bit-only shortest-form test agrees with the writer's double-based conversions.
TEST(Float16, ShorterFormCheckAgreesWithConversions) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200000; ++i) {
    // Singles: random patterns and widened halves (which must all fit).
    uint32_t single = static_cast<uint32_t>(rng());
    if (i % 2 == 0) {
      const double widened = HalfToDouble(static_cast<uint16_t>(rng()));
      ASSERT_TRUE(DoubleToSingleExact(widened, &single));
    }
    uint16_t half = 0;
    EXPECT_EQ(FloatHasShorterForm(26, single), DoubleToHalfExact(SingleToDouble(single), &half))
        << std::hex << single;
    // Doubles: random patterns and widened singles.
    uint64_t dbits = rng();
    if (i % 2 == 0) dbits = std::bit_cast<uint64_t>(SingleToDouble(static_cast<uint32_t>(rng())));
    uint32_t narrow = 0;
    EXPECT_EQ(FloatHasShorterForm(27, dbits),
              DoubleToSingleExact(std::bit_cast<double>(dbits), &narrow))
        << std::hex << dbits;
  }
  EXPECT_FALSE(FloatHasShorterForm(25, 0x3c00));
}

}  // namespace
}  // namespace tc::cbor
