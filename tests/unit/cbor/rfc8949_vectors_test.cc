// RFC 8949 Appendix A: every example decodes to the expected items, and every example in preferred
// (deterministic) serialization re-encodes to the very same bytes.
#include <gtest/gtest.h>

#include <string>

#include "cbor_test_util.h"

namespace tc::cbor {
namespace {

using testing::Describe;
using testing::FromHex;
using testing::Transcode;

struct Vector {
  const char* diagnostic;
  const char* hex;
  const char* tokens;  // as produced by Describe()
  bool deterministic;  // in preferred serialization, so re-encoding must reproduce it
};

// clang-format off
constexpr Vector kVectors[] = {
  {"0", "00", "u:0", true},
  {"1", "01", "u:1", true},
  {"10", "0a", "u:10", true},
  {"23", "17", "u:23", true},
  {"24", "1818", "u:24", true},
  {"25", "1819", "u:25", true},
  {"100", "1864", "u:100", true},
  {"1000", "1903e8", "u:1000", true},
  {"1000000", "1a000f4240", "u:1000000", true},
  {"1000000000000", "1b000000e8d4a51000", "u:1000000000000", true},
  {"18446744073709551615", "1bffffffffffffffff", "u:18446744073709551615", true},
  {"18446744073709551616", "c249010000000000000000", "T:2 b:010000000000000000", true},
  {"-18446744073709551616", "3bffffffffffffffff", "n:18446744073709551615", true},
  {"-18446744073709551617", "c349010000000000000000", "T:3 b:010000000000000000", true},
  {"-1", "20", "n:0", true},
  {"-10", "29", "n:9", true},
  {"-100", "3863", "n:99", true},
  {"-1000", "3903e7", "n:999", true},
  {"0.0", "f90000", "f:0000000000000000", true},
  {"-0.0", "f98000", "f:8000000000000000", true},
  {"1.0", "f93c00", "f:3ff0000000000000", true},
  {"1.1", "fb3ff199999999999a", "f:3ff199999999999a", true},
  {"1.5", "f93e00", "f:3ff8000000000000", true},
  {"65504.0", "f97bff", "f:40effc0000000000", true},
  {"100000.0", "fa47c35000", "f:40f86a0000000000", true},
  {"3.4028234663852886e+38", "fa7f7fffff", "f:47efffffe0000000", true},
  {"1.0e+300", "fb7e37e43c8800759c", "f:7e37e43c8800759c", true},
  {"5.960464477539063e-8", "f90001", "f:3e70000000000000", true},
  {"0.00006103515625", "f90400", "f:3f10000000000000", true},
  {"-4.0", "f9c400", "f:c010000000000000", true},
  {"-4.1", "fbc010666666666666", "f:c010666666666666", true},
  {"Infinity", "f97c00", "f:7ff0000000000000", true},
  {"NaN", "f97e00", "f:7ff8000000000000", true},
  {"-Infinity", "f9fc00", "f:fff0000000000000", true},
  {"Infinity (single)", "fa7f800000", "f:7ff0000000000000", false},
  {"NaN (single)", "fa7fc00000", "f:7ff8000000000000", false},
  {"-Infinity (single)", "faff800000", "f:fff0000000000000", false},
  {"Infinity (double)", "fb7ff0000000000000", "f:7ff0000000000000", false},
  {"NaN (double)", "fb7ff8000000000000", "f:7ff8000000000000", false},
  {"-Infinity (double)", "fbfff0000000000000", "f:fff0000000000000", false},
  {"false", "f4", "s:20", true},
  {"true", "f5", "s:21", true},
  {"null", "f6", "s:22", true},
  {"undefined", "f7", "s:23", true},
  {"simple(16)", "f0", "s:16", true},
  {"simple(255)", "f8ff", "s:255", true},
  {"0(\"2013-03-21T20:04:00Z\")", "c074323031332d30332d32315432303a30343a30305a",
   "T:0 t:323031332d30332d32315432303a30343a30305a", true},
  {"1(1363896240)", "c11a514b67b0", "T:1 u:1363896240", true},
  {"1(1363896240.5)", "c1fb41d452d9ec200000", "T:1 f:41d452d9ec200000", true},
  {"23(h'01020304')", "d74401020304", "T:23 b:01020304", true},
  {"24(h'6449455446')", "d818456449455446", "T:24 b:6449455446", true},
  {"32(\"http://www.example.com\")", "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
   "T:32 t:687474703a2f2f7777772e6578616d706c652e636f6d", true},
  {"h''", "40", "b:", true},
  {"h'01020304'", "4401020304", "b:01020304", true},
  {"\"\"", "60", "t:", true},
  {"\"a\"", "6161", "t:61", true},
  {"\"IETF\"", "6449455446", "t:49455446", true},
  {"\"\\\"\\\\\"", "62225c", "t:225c", true},
  {"\"\\u00fc\"", "62c3bc", "t:c3bc", true},
  {"\"\\u6c34\"", "63e6b0b4", "t:e6b0b4", true},
  {"\"\\ud800\\udd51\"", "64f0908591", "t:f0908591", true},
  {"[]", "80", "A:0", true},
  {"[1, 2, 3]", "83010203", "A:3 u:1 u:2 u:3", true},
  {"[1, [2, 3], [4, 5]]", "8301820203820405", "A:3 u:1 A:2 u:2 u:3 A:2 u:4 u:5", true},
  {"[1, 2, ..., 25]", "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
   "A:25 u:1 u:2 u:3 u:4 u:5 u:6 u:7 u:8 u:9 u:10 u:11 u:12 u:13 u:14 u:15 u:16 u:17 u:18 u:19 "
   "u:20 u:21 u:22 u:23 u:24 u:25", true},
  {"{}", "a0", "M:0", true},
  {"{1: 2, 3: 4}", "a201020304", "M:2 u:1 u:2 u:3 u:4", true},
  {"{\"a\": 1, \"b\": [2, 3]}", "a26161016162820203", "M:2 t:61 u:1 t:62 A:2 u:2 u:3", true},
  {"[\"a\", {\"b\": \"c\"}]", "826161a161626163", "A:2 t:61 M:1 t:62 t:63", true},
  {"{\"a\": \"A\", ..., \"e\": \"E\"}", "a56161614161626142616361436164614461656145",
   "M:5 t:61 t:41 t:62 t:42 t:63 t:43 t:64 t:44 t:65 t:45", true},
};

// The indefinite-length examples of Appendix A: this reader rejects them all as unsupported.
constexpr const char* kIndefinite[] = {
  "5f42010243030405ff",
  "7f657374726561646d696e67ff",
  "9fff",
  "9f018202039f0405ffff",
  "9f01820203820405ff",
  "83018202039f0405ff",
  "83019f0203ff820405",
  "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
  "bf61610161629f0203ffff",
  "826161bf61626163ff",
  "bf6346756ef563416d7421ff",
};
// clang-format on

class Rfc8949Vector : public ::testing::TestWithParam<Vector> {};

TEST_P(Rfc8949Vector, DecodesToExpectedItems) {
  const Vector& v = GetParam();
  const std::vector<uint8_t> bytes = FromHex(v.hex);
  std::string tokens;
  ReaderOptions lenient;
  lenient.deterministic = false;
  ASSERT_TRUE(Describe(bytes, &tokens, lenient).ok()) << v.diagnostic;
  EXPECT_EQ(tokens, v.tokens) << v.diagnostic;
}

TEST_P(Rfc8949Vector, DeterministicExamplesReencodeIdentically) {
  const Vector& v = GetParam();
  const std::vector<uint8_t> bytes = FromHex(v.hex);
  std::vector<uint8_t> out;
  if (v.deterministic) {
    ASSERT_TRUE(Transcode(bytes, &out).ok()) << v.diagnostic;
    EXPECT_EQ(testing::ToHex(out), v.hex) << v.diagnostic;
  } else {
    // Strict mode refuses the longer float; re-encoding yields the preferred half form.
    std::string tokens;
    Status strict = Describe(bytes, &tokens);
    EXPECT_EQ(strict.code(), ErrorCode::kMalformed) << v.diagnostic;
    ReaderOptions lenient;
    lenient.deterministic = false;
    ASSERT_TRUE(Transcode(bytes, &out, lenient).ok());
    EXPECT_EQ(out.size(), 3u) << v.diagnostic;
  }
}

INSTANTIATE_TEST_SUITE_P(AppendixA, Rfc8949Vector, ::testing::ValuesIn(kVectors));

TEST(Rfc8949Indefinite, RejectedAsUnsupportedAtTheirHead) {
  for (const char* hex : kIndefinite) {
    const std::vector<uint8_t> bytes = FromHex(hex);
    std::string tokens;
    Status status = Describe(bytes, &tokens);
    EXPECT_EQ(status.code(), ErrorCode::kUnsupported) << hex;
    EXPECT_TRUE(status.has_position()) << hex;
  }
}

}  // namespace
}  // namespace tc::cbor
