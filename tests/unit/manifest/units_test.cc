#include "tc/manifest/units.h"

#include <gtest/gtest.h>

namespace tc::manifest {
namespace {

TEST(ManifestUnits, Durations) {
  EXPECT_EQ(ParseDurationUs("250us"), 250u);
  EXPECT_EQ(ParseDurationUs("50ms"), 50000u);
  EXPECT_EQ(ParseDurationUs("2s"), 2000000u);
  EXPECT_EQ(ParseDurationUs("0ms"), 0u);
  for (const char* bad : {"", "ms", "50", "50 ms", "5h", "1.5ms", "-1ms", "50MS",
                          "99999999999999999999us", "18446744073709551615s"}) {
    EXPECT_FALSE(ParseDurationUs(bad).has_value()) << bad;
  }
}

TEST(ManifestUnits, Sizes) {
  EXPECT_EQ(ParseSizeBytes("100B"), 100u);
  EXPECT_EQ(ParseSizeBytes("16KiB"), 16384u);
  EXPECT_EQ(ParseSizeBytes("2MiB"), 2097152u);
  for (const char* bad : {"", "16", "16KB", "16kib", "KiB", "16 KiB", "18446744073709551615MiB"}) {
    EXPECT_FALSE(ParseSizeBytes(bad).has_value()) << bad;
  }
}

TEST(ManifestUnits, UtcTimestamps) {
  EXPECT_EQ(ParseUtcTimestamp("1970-01-01T00:00:00Z"), 0u);
  EXPECT_EQ(ParseUtcTimestamp("2027-01-01T00:00:00Z"), 1798761600u);
  EXPECT_EQ(ParseUtcTimestamp("2000-02-29T12:34:56Z"), 951827696u);
  for (const char* bad : {"2027-01-01", "2027-01-01T00:00:00", "2027-13-01T00:00:00Z",
                          "2027-02-29T00:00:00Z", "1969-12-31T23:59:59Z", "2027-01-01T24:00:00Z",
                          "2027-01-01 00:00:00Z", "2O27-01-01T00:00:00Z"}) {
    EXPECT_FALSE(ParseUtcTimestamp(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace tc::manifest
