#include "tc/base/format.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>

namespace tc {
namespace {

std::string Fmt(const char* f, auto... args) {
  char buf[128];
  FormatTo(buf, f, args...);
  return buf;
}

TEST(Format, IntegersInAllBasesAndWidths) {
  EXPECT_EQ(Fmt("%d|%i|%u", -42, 7, 42u), "-42|7|42");
  EXPECT_EQ(Fmt("%x %X", 0xbeefu, 0xbeefu), "beef BEEF");
  EXPECT_EQ(Fmt("[%5d][%05d][%-3d]", 42, -42, 1), "[   42][-0042][%-3d]");
  EXPECT_EQ(Fmt("%08x", 0x1234u), "00001234");
  EXPECT_EQ(Fmt("%d", INT_MIN), "-2147483648");
  EXPECT_EQ(Fmt("%lld %llu", LLONG_MIN, ULLONG_MAX), "-9223372036854775808 18446744073709551615");
  EXPECT_EQ(Fmt("%zu %ld", size_t{123}, -5L), "123 -5");
}

TEST(Format, StringsCharsAndPercent) {
  EXPECT_EQ(Fmt("%s=%c%%", "key", 'v'), "key=v%");
  EXPECT_EQ(Fmt("%s", static_cast<const char*>(nullptr)), "(null)");
  EXPECT_EQ(Fmt("%p", reinterpret_cast<void*>(0x10)), "0x10");
}

TEST(Format, TruncatesAndAlwaysTerminates) {
  char small[6];
  EXPECT_EQ(FormatTo(small, "%s", "overflowing"), 5u);
  EXPECT_STREQ(small, "overf");
  char one[1] = {'x'};
  EXPECT_EQ(FormatTo(one, "abc"), 0u);
  EXPECT_EQ(one[0], '\0');
  EXPECT_EQ(FormatTo(std::span<char>{}, "abc"), 0u);
}

TEST(Format, TrailingPercentStops) {
  char buf[8];
  FormatTo(buf, "ab%");
  EXPECT_STREQ(buf, "ab");
}

}  // namespace
}  // namespace tc
