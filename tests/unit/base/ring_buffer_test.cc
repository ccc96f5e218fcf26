#include "tc/base/ring_buffer.h"

#include <gtest/gtest.h>

namespace tc {
namespace {

TEST(RingBuffer, FifoOrderAcrossWrapAround) {
  RingBuffer<int, 3> rb;
  int out = 0;
  for (int round = 0; round < 5; ++round) {
    ASSERT_TRUE(rb.Push(round * 10).ok());
    ASSERT_TRUE(rb.Push(round * 10 + 1).ok());
    ASSERT_TRUE(rb.Pop(out).ok());
    EXPECT_EQ(out, round * 10);
    ASSERT_TRUE(rb.Pop(out).ok());
    EXPECT_EQ(out, round * 10 + 1);
  }
  EXPECT_TRUE(rb.empty());
}

TEST(RingBuffer, PushFailsWhenFullAndPopFailsWhenEmpty) {
  RingBuffer<int, 2> rb;
  int out = 7;
  EXPECT_EQ(rb.Pop(out), ErrorCode::kNotFound);
  EXPECT_EQ(out, 7);
  ASSERT_TRUE(rb.Push(1).ok());
  ASSERT_TRUE(rb.Push(2).ok());
  EXPECT_EQ(rb.Push(3), ErrorCode::kResourceExhausted);
  EXPECT_EQ(rb[0], 1);
  EXPECT_EQ(rb[1], 2);
}

TEST(RingBuffer, OverwriteDropsOldestAndCounts) {
  RingBuffer<int, 3> rb;
  for (int i = 1; i <= 5; ++i) rb.PushOverwrite(i);
  EXPECT_EQ(rb.size(), 3u);
  EXPECT_EQ(rb.dropped(), 2u);
  EXPECT_EQ(rb[0], 3);
  EXPECT_EQ(rb[2], 5);
  rb.clear();
  EXPECT_TRUE(rb.empty());
}

}  // namespace
}  // namespace tc
