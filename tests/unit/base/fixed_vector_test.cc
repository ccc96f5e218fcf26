#include "tc/base/fixed_vector.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace tc {
namespace {

TEST(FixedVector, PushUntilFullThenFails) {
  FixedVector<int, 3> v;
  EXPECT_TRUE(v.empty());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(v.push_back(i).ok());
  EXPECT_TRUE(v.full());
  EXPECT_EQ(v.push_back(99), ErrorCode::kResourceExhausted);
  EXPECT_EQ(v.size(), 3u);
  EXPECT_EQ(v.back(), 2);
}

TEST(FixedVector, EraseKeepsOrderAndRejectsBadIndex) {
  FixedVector<std::string, 4> v;
  for (const char* s : {"a", "b", "c"}) ASSERT_TRUE(v.emplace_back(s).ok());
  ASSERT_TRUE(v.erase(1).ok());
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0], "a");
  EXPECT_EQ(v[1], "c");
  EXPECT_EQ(v.erase(2), ErrorCode::kOutOfRange);
  EXPECT_EQ(v.size(), 2u);
}

TEST(FixedVector, DestroysElements) {
  auto tracker = std::make_shared<int>(0);
  {
    FixedVector<std::shared_ptr<int>, 4> v;
    ASSERT_TRUE(v.push_back(tracker).ok());
    ASSERT_TRUE(v.push_back(tracker).ok());
    EXPECT_EQ(tracker.use_count(), 3);
    v.pop_back();
    EXPECT_EQ(tracker.use_count(), 2);
    FixedVector<std::shared_ptr<int>, 4> copy = v;
    EXPECT_EQ(tracker.use_count(), 3);
  }
  EXPECT_EQ(tracker.use_count(), 1);
}

TEST(FixedVector, PopOnEmptyIsHarmless) {
  FixedVector<int, 1> v;
  v.pop_back();
  EXPECT_TRUE(v.empty());
  int sum = 0;
  for (int x : v) sum += x;
  EXPECT_EQ(sum, 0);
}

}  // namespace
}  // namespace tc
