// LogRing: numbering, overwrite and dropped count, cutting long lines, UTF-8 repair.
#include <gtest/gtest.h>

#include <string>

#include "fake_runtime.h"
#include "tc/mgmt/log_ring.h"

namespace tc::mgmt {
namespace {

std::span<const uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(LogRing, NumbersLinesAndOverwritesTheOldest) {
  engine::testing::FakePort clock;
  LogRing ring(clock);
  EXPECT_EQ(ring.next(), 0u);
  EXPECT_EQ(ring.Find(0), nullptr);
  for (size_t i = 0; i < kLogLines + 5; ++i) {
    clock.AdvanceUs(10);
    ring.Write("acme.x", Bytes("line " + std::to_string(i)));
  }
  EXPECT_EQ(ring.next(), kLogLines + 5);
  EXPECT_EQ(ring.first(), 5u);
  EXPECT_EQ(ring.dropped(), 5u);
  EXPECT_EQ(ring.Find(4), nullptr);
  ASSERT_NE(ring.Find(5), nullptr);
  EXPECT_EQ(ring.Find(5)->view(), "line 5");
  EXPECT_EQ(ring.Find(5)->number, 5u);
  EXPECT_EQ(ring.Find(5)->time_us, 60u);
  EXPECT_EQ(ring.Find(5)->uid.view(), "acme.x");
  EXPECT_EQ(ring.Find(kLogLines + 5), nullptr);
}

TEST(LogRing, CutsLongLinesAndRepairsUtf8) {
  engine::testing::FakePort clock;
  LogRing ring(clock);
  ring.Write("a", Bytes(std::string(300, 'x')));
  EXPECT_EQ(ring.Find(0)->view(), std::string(kLogLineText, 'x'));
  ring.Write("a", Bytes("ok \xff\xfe done \xc3\xa9"));
  EXPECT_EQ(ring.Find(1)->view(), "ok ?? done \xc3\xa9");
  // A two-byte character cut in half at the end of the line.
  std::string cut(kLogLineText - 1, 'y');
  cut += "\xc3\xa9";
  ring.Write("a", Bytes(cut));
  EXPECT_EQ(ring.Find(2)->view(), std::string(kLogLineText - 1, 'y') + "?");
  ring.Write(std::string(40, 'u'), Bytes("long uid"));
  EXPECT_EQ(ring.Find(3)->uid.size(), image::kMaxUidLength);
}

}  // namespace
}  // namespace tc::mgmt
