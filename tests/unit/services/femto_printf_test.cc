// bpf_printf's guest-format formatter against the C library's snprintf (an independent
// implementation) on every supported shape, and every way a hostile format is refused.
#include "tc/services/femto_printf.h"

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace tc::services {
namespace {

std::string Format(std::string_view format, std::vector<uint64_t> values, size_t capacity = 129) {
  std::vector<char> out(capacity);
  const Result<size_t> n = FormatFemtoPrintf(format, values, out);
  EXPECT_TRUE(n.ok()) << format << ": " << n.status().message();
  return n.ok() ? std::string(out.data(), *n) : std::string("<error>");
}

Status Refusal(std::string_view format, std::vector<uint64_t> values = {1, 2, 3, 4}) {
  char out[64];
  return FormatFemtoPrintf(format, values, out).status();
}

template <typename... T>
std::string Snprintf(const char* format, T... values) {
  char out[160];
  std::snprintf(out, sizeof out, format, values...);
  return out;
}

const int64_t kSamples[] = {0,          1,           -1,         42,        -42,
                            127,        -128,        255,        65535,     -32768,
                            2147483647, -2147483648, 4294967295, INT64_MAX, INT64_MIN};

TEST(FemtoPrintf, IntegerConversionsMatchSnprintf) {
  for (const int64_t v : kSamples) {
    const auto u = static_cast<uint64_t>(v);
    const auto i32 = static_cast<int32_t>(v);
    const auto u32 = static_cast<uint32_t>(v);
    EXPECT_EQ(Format("%d %i", {u, u}), Snprintf("%d %i", i32, i32)) << v;
    EXPECT_EQ(Format("%u %x %X", {u, u, u}), Snprintf("%u %x %X", u32, u32, u32)) << v;
    EXPECT_EQ(Format("%ld %lld %lu", {u, u, u}),
              Snprintf("%" PRId64 " %" PRId64 " %" PRIu64, v, v, u))
        << v;
    EXPECT_EQ(Format("%lx %llX %zu %jd", {u, u, u, u}),
              Snprintf("%" PRIx64 " %" PRIX64 " %" PRIu64 " %" PRId64, u, u, u, v))
        << v;
    EXPECT_EQ(Format("%hd %hu %hhd %hhx", {u, u, u, u}),
              Snprintf("%hd %hu %hhd %hhx", static_cast<short>(v), static_cast<unsigned short>(v),
                       static_cast<signed char>(v), static_cast<unsigned char>(v)))
        << v;
    EXPECT_EQ(Format("[%8d|%08x|%032lu]", {u, u, u}),
              Snprintf("[%8d|%08x|%032" PRIu64 "]", i32, u32, u))
        << v;
  }
  EXPECT_EQ(Format("%c%c%% done\n", {'o', 'k'}), "ok% done\n");
  EXPECT_EQ(Format("[%3c]", {'x'}), Snprintf("[%3c]", 'x'));
  EXPECT_EQ(Format("no conversions", {}), "no conversions");
  EXPECT_EQ(Format("", {}), "");
}

TEST(FemtoPrintf, OutputIsTruncatedAndTerminated) {
  std::vector<char> out(8, 'x');
  const std::vector<uint64_t> values = {123456789};
  const Result<size_t> n = FormatFemtoPrintf("value %d", values, out);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 7u);
  EXPECT_EQ(std::string(out.data()), "value 1");
  EXPECT_TRUE(FormatFemtoPrintf("abc", values, std::span<char>()).ok());  // nowhere to write
}

TEST(FemtoPrintf, HostileFormatsAreRefusedWithTheirPosition) {
  struct Case {
    const char* format;
    uint32_t position;
  };
  const Case cases[] = {
      {"%s", 1},  {"%p", 1},   {"x %f", 3},  {"%.2d", 1},
      {"%*d", 1}, {"%-5d", 1}, {"%+d", 1},   {"% d", 1},
      {"%n", 1},  {"%", 1},    {"abc%", 4},  {"%l", 2},
      {"%hh", 3}, {"%lls", 3}, {"%033d", 3}, {"%99999999999d", 2},
      {"%q", 1},  {"%05c", 3},
  };
  for (const Case& c : cases) {
    const Status s = Refusal(c.format);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << c.format;
    EXPECT_EQ(s.position(), c.position) << c.format;
  }
  const Status more = Refusal("%d %d %d %d %d");
  EXPECT_EQ(more.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(more.position(), 13u);
  EXPECT_EQ(Refusal("%d", {}).code(), ErrorCode::kInvalidArgument);
}

// Random formats over the format alphabet: each is either refused or printed exactly as snprintf
// prints the same format with 32-bit values (conversions without length modifiers only).
TEST(FemtoPrintf, RandomFormatsAreRefusedOrMatchSnprintf) {
  std::mt19937 rng(1234);
  const char alphabet[] = "%%%%dduxXci0123456789-.*sph ab\n";
  int printed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string format(rng() % 12, ' ');
    for (char& ch : format) ch = alphabet[rng() % (sizeof alphabet - 1)];
    const std::vector<uint64_t> values = {uint64_t(rng()), uint64_t(rng()), 'z', 7};
    char out[129];
    const Result<size_t> n = FormatFemtoPrintf(format, values, out);
    if (!n.ok()) continue;
    ++printed;
    // Accepted formats only use conversions snprintf reads as 32-bit values here.
    const std::string expected = Snprintf(format.c_str(), static_cast<uint32_t>(values[0]),
                                          static_cast<uint32_t>(values[1]), 'z', 7);
    EXPECT_EQ(std::string(out, *n), expected) << '"' << format << '"';
  }
  EXPECT_GT(printed, 1000);
}

}  // namespace
}  // namespace tc::services
